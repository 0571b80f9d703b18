"""A demo store shared by the report tests of one module (reports only read, and add
audit entries), the staff to read it as, and helpers that read a PDF back."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pypdf
import pytest

from core import clock, staff
from core.permissions import Actor, Role
from tests.conftest import FAST_KDF


@dataclass
class Demo:
    db: object
    info: object
    tz: ZoneInfo
    today: date
    actors: dict[Role, Actor]

    @property
    def manager(self) -> Actor:
        return self.actors[Role.MANAGER]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from core.db import StoreDatabase
    from core.demo import STORE_TZ, build_demo
    folder = tmp_path_factory.mktemp("reports-demo")
    db = StoreDatabase.create(folder / "store.db", passphrase="reports-test", kdf=FAST_KDF)
    now = clock.now().replace(microsecond=0)
    info = build_demo(db, customers=300, seed=7, now=now)
    actors = {}
    with db.session() as s:
        for role in Role:
            member = info.staff_with_role(role)[0]
            actors[role] = staff.actor_for(staff.get_staff(s, member.staff_id))
    tz = ZoneInfo(STORE_TZ)
    yield Demo(db, info, tz, now.astimezone(tz).date(), actors)
    db.close()


# --- reading PDFs back -------------------------------------------------------------------------

def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in reader(pdf).pages]


def lines(pdf: bytes) -> list[str]:
    return [ln.strip() for t in page_texts(pdf) for ln in t.splitlines() if ln.strip()]


def compact(pdf: bytes) -> str:
    """All text without any white space: a name drawn in two fonts (Latin, CJK) comes
    back in pieces; compared this way it is found whole."""
    return re.sub(r"\s+", "", "".join(page_texts(pdf)))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def follows(all_lines: list[str], label: str, *values: str) -> bool:
    """``label`` is a line somewhere, and the lines right after it are ``values``."""
    n = len(values)
    return any(all_lines[i] == label and all_lines[i + 1:i + 1 + n] == list(values)
               for i in range(len(all_lines) - n))


def page_size_mm(pdf: bytes, index: int = 0) -> tuple[float, float]:
    box = reader(pdf).pages[index].mediabox
    return round(float(box.width) / 72 * 25.4, 1), round(float(box.height) / 72 * 25.4, 1)
