"""``orchard-hq admin-reset-code`` against a real HQ on PostgreSQL (issue 24): the code it
prints lets the enrolled store it names set a new password on its locked-out admin, once;
another store refuses it; a store HQ does not know, or one not enrolled yet, gets none."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core import clock, recovery, staff
from core.errors import AuthenticationError, ValidationError
from core.models import AuditEvent, SignInState, Staff
from hq import cli as hq_cli

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PRINTED = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){7}\b")


def _issue(hq, code: str, capsys, hours: int = 24) -> tuple[int, str, str]:
    with clock.pinned(NOW):
        status = hq_cli.main(["admin-reset-code", code, "--db", hq.db_url, "--hours", str(hours)])
    out = capsys.readouterr()
    return status, out.out, out.err


def _lock(db, store_id) -> None:
    with db.session(write=True) as s:
        admin = s.scalars(select(Staff).where(Staff.store_id == store_id, Staff.staff_number == "1")).one()
        s.add(SignInState(staff_id=admin.id, failed_pins=5, failed_passwords=staff.MAX_PASSWORD_FAILURES,
                          locked_until=NOW + timedelta(minutes=30), last_failure_at=NOW))


def _signs_in(db, store_id, password: str, at: datetime) -> bool:
    with db.session(write=True) as s:
        try:
            staff.authenticate_number(s, store_id, "1", password=password, now=at)
        except AuthenticationError:
            return False
    return True


def test_the_printed_code_resets_the_admin_of_its_store_only_and_once(hq, make_store, capsys):
    mine, other = make_store("RA", hq), make_store("RB", hq)
    status, out, _ = _issue(hq, "ra", capsys, hours=2)
    assert status == 0 and "RA" in out and "2026-03-02 11:00 UTC" in out
    printed = PRINTED.findall(out)
    assert len(printed) == 1
    code = printed[0]

    with pytest.raises(ValidationError) as elsewhere:
        recovery.reset_admin(other.db, code=None, hq_reset_code=code, staff_number="1",
                             new_password="from-hq-code-1", now=NOW + timedelta(minutes=5))
    assert elsewhere.value.field == "hq_reset_code"

    _lock(mine.db, mine.store_id)
    assert not _signs_in(mine.db, mine.store_id, "admin-pass-1", NOW + timedelta(minutes=5))
    with pytest.raises(ValidationError) as late:
        recovery.reset_admin(mine.db, code=None, hq_reset_code=code, staff_number="1",
                             new_password="from-hq-code-1", now=NOW + timedelta(hours=2, minutes=1))
    assert late.value.reason == "this reset code has expired; ask HQ for a new one"
    recovery.reset_admin(mine.db, code=None, hq_reset_code=code, staff_number="1", new_password="from-hq-code-1",
                         now=NOW + timedelta(minutes=10))
    assert _signs_in(mine.db, mine.store_id, "from-hq-code-1", NOW + timedelta(minutes=11))
    with pytest.raises(ValidationError) as again:
        recovery.reset_admin(mine.db, code=None, hq_reset_code=code, staff_number="1",
                             new_password="a-second-go-1", now=NOW + timedelta(minutes=12))
    assert again.value.reason == "this reset code was already used; ask HQ for a new one"
    with mine.db.session() as s:
        details = [e.detail for e in s.scalars(select(AuditEvent).where(AuditEvent.action.like("staff.admin_reset%")))]
    assert sorted(details) == ["expired_hq_code", "hq_code", "used_hq_code"]
    assert not any(code.replace("-", "") in d for d in details)


def test_no_code_for_an_unknown_store_or_one_not_enrolled_yet(hq, capsys):
    status, out, err = _issue(hq, "ZZ9", capsys)
    assert (status, out) == (2, "") and "no store with this code" in err
    hq.enrolment("RC")                                  # registered, its code not yet redeemed
    status, out, err = _issue(hq, "RC", capsys)
    assert (status, out) == (2, "") and "has not enrolled yet" in err
    status, out, err = _issue(hq, "RC", capsys, hours=0)
    assert status == 2 and "1 to 168 hours" in err
