"""The store's customer-message settings (issue 22) on a real store database: a manager sets the
quiet hours for text messages and the days before "still waiting"; bad values are refused with
the field named and nothing kept; other roles may neither read nor set them; and what is kept
is exactly what HQ's sender and the store's events read (the store row, as synced)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from core import staff
from core.errors import PermissionDenied, ValidationErrors
from core.messages import events
from core.messages import settings as ms
from core.models import AuditEvent, OutboxEntry, Store
from core.permissions import Role
from hq.messages import worker

UTC = timezone.utc


@pytest.fixture
def shop(store_setup):
    db, store_id, admin = store_setup
    with db.session(write=True) as s:
        people = {role: staff.actor_for(staff.create_staff(s, admin, display_name=name, role=role,
                                                            password="long-password-1"))
                  for role, name in ((Role.MANAGER, "Chen Jing"), (Role.ASSOCIATE, "Wang Lei"),
                                     (Role.TECHNICIAN, "Li Qiang"))}
    return db, store_id, people


def write(db, fn):
    with db.session(write=True) as s:
        return fn(s)


def stored(db, store_id) -> dict:
    with db.session() as s:
        return dict(s.get(Store, store_id).settings or {})


def test_a_new_store_shows_the_defaults_hq_and_the_store_use(shop):
    db, store_id, people = shop
    got = write(db, lambda s: ms.message_settings(s, people[Role.MANAGER]))
    assert got == ms.MessageSettings("21:00", "09:00", 7)
    with db.session() as s:
        assert events.still_waiting_days(s, store_id) == 7
    assert worker._quiet_hours_of({"settings": stored(db, store_id)}) == ("21:00", "09:00")


def test_a_manager_sets_quiet_hours_and_days_and_hq_and_events_read_them(shop):
    db, store_id, people = shop
    got = write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from="22:00", quiet_to="08:00",
                                                      still_waiting_days=10))
    assert got == ms.MessageSettings("22:00", "08:00", 10)
    kept = stored(db, store_id)
    assert kept["sms_quiet_hours"] == ["22:00", "08:00"]
    assert kept["still_waiting_days"] == 10
    # the store row as it goes to HQ (the outbox), read by HQ's sender: 21:30 Shanghai is not
    # quiet any more, 23:00 is quiet until 08:00 local
    with db.session() as s:
        row = s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "store", OutboxEntry.entity_id == str(store_id))
                        .order_by(OutboxEntry.seq.desc())).first()
        assert events.still_waiting_days(s, store_id) == 10
    hours = worker._quiet_hours_of({"settings": row.fields["settings"]})
    assert hours == ("22:00", "08:00")
    assert worker.quiet_until(datetime(2030, 6, 3, 13, 30, tzinfo=UTC), "Asia/Shanghai", hours) is None
    assert worker.quiet_until(datetime(2030, 6, 3, 15, 0, tzinfo=UTC), "Asia/Shanghai", hours) == \
        datetime(2030, 6, 4, 0, 0, tzinfo=UTC)
    # other settings of the store row stay as they were
    write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from=None, quiet_to=None,
                                                still_waiting_days=3))
    assert {k: v for k, v in stored(db, store_id).items() if k not in ("sms_quiet_hours", "still_waiting_days")} == \
        {k: v for k, v in kept.items() if k not in ("sms_quiet_hours", "still_waiting_days")}


def test_no_quiet_hours_lets_hq_send_text_messages_at_any_hour(shop):
    db, store_id, people = shop
    got = write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from=None, quiet_to=None,
                                                      still_waiting_days=7))
    assert (got.quiet_from, got.quiet_to) == (None, None)
    assert write(db, lambda s: ms.message_settings(s, people[Role.MANAGER])) == got
    hours = worker._quiet_hours_of({"settings": stored(db, store_id)})
    for hour in range(24):
        assert worker.quiet_until(datetime(2030, 6, 3, hour, 15, tzinfo=UTC), "Asia/Shanghai", hours) is None


@pytest.mark.parametrize("kw, field", [
    (dict(quiet_from="25:00", quiet_to="08:00", still_waiting_days=7), "quiet_from"),
    (dict(quiet_from="22:00", quiet_to="8pm", still_waiting_days=7), "quiet_to"),
    (dict(quiet_from="22:00", quiet_to=None, still_waiting_days=7), "quiet_to"),
    (dict(quiet_from="22:00", quiet_to="22:00", still_waiting_days=7), "quiet_to"),
    (dict(quiet_from="22:00", quiet_to="08:00", still_waiting_days=0), "still_waiting_days"),
    (dict(quiet_from="22:00", quiet_to="08:00", still_waiting_days=61), "still_waiting_days"),
    (dict(quiet_from="22:00", quiet_to="08:00", still_waiting_days=True), "still_waiting_days"),
    (dict(quiet_from="22:00", quiet_to="08:00", still_waiting_days="10"), "still_waiting_days"),
])
def test_a_bad_value_is_refused_naming_its_field_and_nothing_is_kept(shop, kw, field):
    db, store_id, people = shop
    before = stored(db, store_id)
    with pytest.raises(ValidationErrors) as err:
        write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], **kw))
    assert list(err.value.by_field) == [field]
    assert stored(db, store_id) == before


def test_bad_values_in_several_fields_are_all_named_at_once(shop):
    db, _, people = shop
    with pytest.raises(ValidationErrors) as err:
        write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from="x", quiet_to="y",
                                                    still_waiting_days=100))
    assert set(err.value.by_field) == {"quiet_from", "quiet_to", "still_waiting_days"}
    assert "between 1 and 60 days" in err.value.by_field["still_waiting_days"]


@pytest.mark.parametrize("role", [Role.ASSOCIATE, Role.TECHNICIAN])
def test_only_managers_and_admins_read_or_set_them(shop, role):
    db, store_id, people = shop
    before = stored(db, store_id)
    with pytest.raises(PermissionDenied):
        write(db, lambda s: ms.message_settings(s, people[role]))
    with pytest.raises(PermissionDenied):
        write(db, lambda s: ms.set_message_settings(s, people[role], quiet_from="22:00", quiet_to="08:00",
                                                    still_waiting_days=10))
    assert stored(db, store_id) == before


def test_the_change_is_audited_without_personal_data(shop):
    db, _, people = shop
    write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from="22:00", quiet_to="08:00",
                                                still_waiting_days=10))
    with db.session() as s:
        entries = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "settings.messages")))
    assert [(e.entity, e.staff_id, e.detail) for e in entries] == \
        [("store", people[Role.MANAGER].staff_id, "quiet=22:00-08:00 still_waiting_days=10")]


def test_a_malformed_stored_value_reads_as_the_default():
    assert ms.quiet_hours_in({"sms_quiet_hours": ["9pm", "09:00"]}) == ms.QUIET_HOURS_DEFAULT
    assert ms.quiet_hours_in({"sms_quiet_hours": "21:00-09:00"}) == ms.QUIET_HOURS_DEFAULT
    assert ms.quiet_hours_in(None) == ms.QUIET_HOURS_DEFAULT
    assert ms.still_waiting_in({"still_waiting_days": 0}) == ms.STILL_WAITING_DEFAULT
    assert ms.still_waiting_in({"still_waiting_days": "5"}) == ms.STILL_WAITING_DEFAULT


times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=times, end=times, days=st.integers(ms.STILL_WAITING_MIN, ms.STILL_WAITING_MAX))
def test_any_valid_window_is_kept_as_hq_reads_it(shop, start, end, days):
    db, store_id, people = shop
    if start == end:
        with pytest.raises(ValidationErrors):
            write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from=start, quiet_to=end,
                                                        still_waiting_days=days))
        return
    write(db, lambda s: ms.set_message_settings(s, people[Role.MANAGER], quiet_from=start, quiet_to=end,
                                                still_waiting_days=days))
    assert worker._quiet_hours_of({"settings": stored(db, store_id)}) == (start, end)
    with db.session() as s:
        assert events.still_waiting_days(s, store_id) == days
