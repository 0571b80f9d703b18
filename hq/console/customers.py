"""Customers at HQ for the console: find one by a full key (a phone in E.164, an email
address or a member number, through the same expressions as a store's on-demand fetch:
:func:`hq.fetch.matching`, without the fetch's consent filter: HQ staff with
``customers.view`` see any customer who is not erased), a customer's page (their rows at
HQ, the stores that serve them, the fetches that showed them, their erasure) and the
data-subject requests (:mod:`hq.dsr`).

Every search, page view, export and erasure is a row of the console's audit log: who, the
kind of key and the customer ids shown (pseudonymous ids, as ``hq_access`` keeps them);
never the key itself."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from hq import dsr, fetch
from hq.common import _write
from hq.console import audit
from hq.console.accounts import ConsoleError, User
from hq.console.i18n import N_
from hq.models import hq_row, hq_store

KINDS = {
    "phone": N_("Phone number (E.164, e.g. +8613312345678)"),
    "email": N_("Email address"),
    "member": N_("Member number"),
}
# what the page calls HQ's kinds of rows and the fetch log's kinds of key
ENTITY_LABELS = {
    "customer": N_("Profile"), "device": N_("Devices"), "consent": N_("Consents"), "customer_note": N_("Notes"),
    "purchase": N_("Purchases"), "loyalty_account": N_("Loyalty account"), "loyalty_entry": N_("Loyalty entries"),
    "repair_ticket": N_("Repair tickets"), "appointment": N_("Appointments"), "tradein": N_("Trade-ins"),
}
KEY_LABELS = {"phone": N_("phone number"), "email": N_("email address"), "member": N_("member number")}
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_MEMBER = re.compile(r"[A-Z0-9-]{4,20}")
CONFIRM_WORD = "ERASE"
SHOWN = 20


def normalise(kind: str, value: str) -> str:
    """The full key as HQ's indexes hold it, or :class:`ConsoleError` (which never repeats
    the key)."""
    value = (value or "").strip()
    if kind not in KINDS:
        raise ConsoleError(N_("Choose what kind of key you are searching by."))
    if not value:
        raise ConsoleError(N_("Type the full key: a partial phone number, email or name finds nobody."))
    if kind == "phone":
        value = re.sub(r"[\s\-().]", "", value)
        if not _E164.fullmatch(value):
            raise ConsoleError(N_("A phone number is searched in full international form: + country code and "
                                  "number, e.g. +8613312345678."))
    elif kind == "email":
        if len(value) > 254 or value.count("@") != 1 or value.startswith("@") or value.endswith("@"):
            raise ConsoleError(N_("Type the whole email address."))
    else:
        value = value.upper()
        if not _MEMBER.fullmatch(value):
            raise ConsoleError(N_("Type the whole member number."))
    return value


display_name = dsr.display_name


@dataclass(frozen=True)
class Found:
    id: uuid.UUID
    name: str
    member_number: str | None
    home_store: str | None
    merged_into: str | None


def _member_numbers(conn, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return {r.customer_id: str((r.data or {}).get("member_number") or "")
            for r in conn.execute(select(hq_row.c.customer_id, hq_row.c.data).where(
                hq_row.c.entity == "loyalty_account", hq_row.c.customer_id.in_(ids), hq_row.c.deleted.is_(False)))}


def _store_codes(conn) -> dict[str, str]:
    return {str(r.store_id): r.code for r in conn.execute(select(hq_store.c.store_id, hq_store.c.code)
                                                          .where(hq_store.c.store_id.is_not(None)))}


def search(engine: Engine, user: User, kind: str, value: str) -> list[Found]:
    """The customers a full key finds (with profiles merged ones went into), audited in the
    same transaction: who searched, the kind of key, the customers shown."""
    key = normalise(kind, value)
    with _write(engine) as conn, conn.begin():
        ids, _ = fetch.matching(conn, [(kind, key)])
        ids = ids[:SHOWN]
        rows = {uuid.UUID(r.entity_id): dict(r.data or {}) for r in conn.execute(
            select(hq_row.c.entity_id, hq_row.c.data).where(
                hq_row.c.entity == "customer", hq_row.c.entity_id.in_([str(i) for i in ids])))} if ids else {}
        members = _member_numbers(conn, ids)
        codes = _store_codes(conn)
        found = [Found(i, display_name(rows.get(i, {})), members.get(i) or None,
                       codes.get(str(rows.get(i, {}).get("home_store_id"))),
                       str(rows[i]["merged_into_id"]) if rows.get(i, {}).get("merged_into_id") else None)
                 for i in ids]
        audit.record(conn, user.id, "customer.search", kind,
                     f"{len(ids)} shown" + (": " + " ".join(str(i) for i in ids) if ids else ""))
    return found


@dataclass
class Consent:
    purpose: str
    granted: bool
    at: str
    channel: str
    in_force: bool = False


@dataclass
class CustomerView:
    id: uuid.UUID
    name: str
    profile: dict[str, Any]
    home_store: str | None
    merged_into: str | None
    member_number: str | None
    loyalty: dict[str, Any] | None
    points: int | None
    devices: list[dict[str, Any]]
    consents: list[Consent]
    counts: dict[str, int]
    served: list[dsr.Served]
    access: list[dsr.Access]
    erased: dsr.Erasure | None
    rows: int = 0
    deleted: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _consents(rows: list[dict[str, Any]]) -> list[Consent]:
    """Their consent decisions, newest first, the latest per purpose marked as in force (by
    time, then id: as the store's privacy module and HQ's fetch read them)."""
    out: list[tuple[tuple[datetime, str], Consent]] = []
    for r in rows:
        d = r["data"]
        key = (fetch._when(d.get("at")), r["id"])
        out.append((key, Consent(str(d.get("purpose") or ""), d.get("granted") is True, str(d.get("at") or ""),
                                 str(d.get("channel") or ""))))
    out.sort(key=lambda kc: kc[0], reverse=True)
    seen: set[str] = set()
    for _, c in out:
        if c.purpose not in seen:
            c.in_force = True
            seen.add(c.purpose)
    return [c for _, c in out]


def customer(engine: Engine, user: User, customer_id: str, *, record: bool = True) -> CustomerView:
    """A customer's page, audited (who looked at whom) unless ``record`` is false (an
    export or erasure records itself). 404 for an id HQ does not hold."""
    try:
        cid = uuid.UUID(customer_id)
    except ValueError:
        raise ConsoleError(N_("There is no such customer at HQ."), 404) from None
    with _write(engine) as conn, conn.begin():
        rows = dsr.customer_rows(conn, cid)
        me = next((r for r in rows if r["entity"] == "customer" and r["id"] == str(cid)), None)
        if me is None:
            raise ConsoleError(N_("There is no such customer at HQ."), 404)
        live = [r for r in rows if not r["deleted"]]
        counts: dict[str, int] = {}
        for r in live:
            if r["entity"] != "customer":
                counts[r["entity"]] = counts.get(r["entity"], 0) + 1
        account = next((r for r in live if r["entity"] == "loyalty_account"), None)
        points = dsr.balance(conn, [uuid.UUID(account["id"])]).get(uuid.UUID(account["id"])) if account else None
        profile = me["data"]
        view = CustomerView(
            id=cid, name=display_name(profile), profile=profile,
            home_store=_store_codes(conn).get(str(profile.get("home_store_id"))),
            merged_into=str(profile["merged_into_id"]) if profile.get("merged_into_id") else None,
            member_number=str(account["data"].get("member_number") or "") or None if account else None,
            loyalty=account["data"] if account else None, points=points,
            devices=[r["data"] for r in live if r["entity"] == "device"],
            consents=_consents([r for r in live if r["entity"] == "consent"]),
            counts=dict(sorted(counts.items())), served=dsr.served_by(conn, cid),
            access=dsr.access_log(conn, cid, 100), erased=dsr.erasure(conn, cid),
            rows=len(rows), deleted=len(rows) - len(live))
        if record:
            audit.record(conn, user.id, "customer.view", str(cid))
    return view


def export(engine: Engine, user: User, customer_id: uuid.UUID, fmt: str) -> dict[str, Any]:
    """The export's data (:func:`hq.dsr.collect`), the download audited."""
    data = dsr.collect(engine, customer_id, by=user.username)
    with _write(engine) as conn, conn.begin():
        audit.record(conn, user.id, "customer.export", str(customer_id), fmt)
    return data


def confirmed(view: CustomerView, typed: str) -> bool:
    """The erasure's confirmation: the customer's member number, or the word ERASE."""
    typed = (typed or "").strip()
    if typed == CONFIRM_WORD:
        return True
    return bool(view.member_number) and typed.upper() == (view.member_number or "").upper()


def erase(engine: Engine, user: User, view: CustomerView) -> None:
    """Erase at HQ (:func:`hq.dsr.erase`), audited with the console user in the same
    transaction."""
    if view.erased is not None:
        raise ConsoleError(N_("This customer is erased already."), 409)
    author = dsr.hq_author(user.id, user.role, user.active)
    try:
        dsr.erase(engine, view.id, author,
                  on_commit=lambda conn: audit.record(conn, user.id, "customer.erase", str(view.id)))
    except dsr.NotErasable:
        raise ConsoleError(N_("This customer is erased already."), 409) from None
    except PermissionError:
        raise ConsoleError(N_("You do not have access to this page."), 403) from None
