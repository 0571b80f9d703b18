"""The service report's survey QR code (issue 21): printed by the desktop's service-report
path for an enrolled store, decoded back from the rendered page, and not printed again for
the same customer within HQ's interval."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import datetime, timezone

import pytest

from core import clock
from core.care import tokens
from core.models import CareSetting
from core.sync import credentials
from core.sync.apply import set_state
from desktop.views.preview import service_report_data
from reports import service_report
from tests.core.test_care_surveys import SECRET, collected
from tests.core.test_repairs import make_bench, write
from tests.reports.conftest import page_texts, squash

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
CAPTION_EN = "Tell us how we did — scan to answer two questions"


@pytest.fixture
def enrolled(store_setup, memory_keyring):
    db, store_id, admin = store_setup
    with clock.pinned(T0) as fixed:
        b = make_bench(db, admin, store_id)
        credentials.save(db, str(store_id), f"{store_id}.{SECRET}")
        write(db, lambda s: (set_state(s, "hq.url", "https://hq.example.com"), set_state(s, "hq.store_id",
                                                                                        str(store_id))))
        yield b, fixed


def print_report(b, ticket, lang="en"):
    data = write(b.db, lambda s: service_report_data(b.db, s, b.associate, ticket))
    return data, service_report.render(data, lang=lang)


def qr_codes(pdf: bytes, tmp_path) -> list[str]:
    """The QR codes zbarimg reads off the rendered first page (as a phone camera would)."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "page.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(tmp_path / "page.pdf"),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True,
                         text=True)
    return [line.removeprefix("QR-Code:") for line in out.stdout.splitlines() if line.startswith("QR-Code:")]


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="needs zbarimg and pdftoppm")
def test_the_service_report_carries_a_survey_qr_once_per_customer_per_interval(enrolled, tmp_path):
    b, fixed = enrolled
    first, second, third = collected(b), collected(b), collected(b)
    data, pdf = print_report(b, first)
    assert data.survey_url and data.survey_url.startswith("https://hq.example.com/survey?t=")
    assert qr_codes(pdf, tmp_path / "first") == [data.survey_url]
    hq_key = tokens.key_from_credential_hash(hashlib.sha256(SECRET.encode()).hexdigest())
    token = tokens.verify(hq_key, data.survey_url.split("?t=", 1)[1])
    assert (token.visit_kind, token.visit_id) == ("ticket", first)
    assert squash(CAPTION_EN) in squash(page_texts(pdf)[-1])
    assert len(page_texts(pdf)) == 1, "the QR code keeps the report on one page"

    # a reprint of the same ticket carries the same link; another visit within 30 days none
    assert print_report(b, first)[0].survey_url == data.survey_url
    fixed.advance(days=29)
    data2, pdf2 = print_report(b, second)
    assert data2.survey_url is None
    assert qr_codes(pdf2, tmp_path / "second") == []
    assert squash(CAPTION_EN) not in squash(" ".join(page_texts(pdf2)))

    # HQ shortens the interval: the customer is invited again
    write(b.db, lambda s: s.add(CareSetting(key="survey_invite_days", value=20)))
    data3, _ = print_report(b, third)
    assert data3.survey_url is not None and data3.survey_url != data.survey_url


def test_the_caption_is_printed_in_chinese(enrolled):
    b, _ = enrolled
    data, pdf = print_report(b, collected(b), lang="zh_CN")
    assert data.survey_url is not None
    assert squash("服务满意吗？扫码回答两个问题") in squash(page_texts(pdf)[-1])


def test_a_store_not_enrolled_prints_no_survey_code(store_setup, memory_keyring):
    db, store_id, admin = store_setup
    with clock.pinned(T0):
        b = make_bench(db, admin, store_id)
        data, pdf = print_report(b, collected(b))
    assert data.survey_url is None
    assert "survey" not in " ".join(page_texts(pdf)).lower()
