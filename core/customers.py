"""Customers: create, read and change, with validation at the boundary and an audit
entry for every read and write of a record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Callable


from sqlalchemy.orm import Session

from core import audit, clock
from core.errors import ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.models import Customer, Store
from core.permissions import Actor, Perm, require
from core.validation import check_date, normalize_email, normalize_free_text, normalize_name, normalize_phone

LANGUAGES = ("en", "zh_CN")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def search_names(given_name: str, family_name: str) -> tuple[str, str]:
    """Pinyin ("zhang wei") and initials ("zw") of a name written in Chinese characters,
    family name first as it is said; empty for names without Han characters."""
    full = f"{family_name}{given_name}"
    han = "".join(ch for ch in full if _is_han(ch))
    if not han:
        return "", ""
    # imported here: its phrase dictionary costs ~0.25 s and ~40 MB, paid on first use
    # (a save or a search), not at start-up
    from pypinyin import Style, lazy_pinyin
    syllables = lazy_pinyin(han, errors="ignore")
    initials = lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore")
    return " ".join(syllables).lower(), "".join(initials).lower()


@dataclass(frozen=True)
class CustomerView:
    id: uuid.UUID
    given_name: str
    family_name: str
    display_name: str
    phone: str | None
    email: str | None
    address: str
    language: str | None
    birth_date: date | None
    home_store_id: uuid.UUID | None
    erased: bool
    merged_into_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    # True when phone, email and address hold masks (mask_phone, mask_email, "" for the
    # address) because the actor may not see contact details; sending a mask back unchanged
    # in update_customer means "no change"
    contact_masked: bool = False
    # how the customer wants to hear from the store (core.messages): "" (not said), sms, email, phone, none
    contact_preference: str = ""


def view(c: Customer) -> CustomerView:
    """The record in full: for code that has checked Perm.SEE_CONTACT_DETAILS (or needs no
    contact details). What a screen shows comes from :func:`view_for`."""
    return CustomerView(c.id, c.given_name, c.family_name, c.display_name, c.phone_e164, c.email, c.address,
                        c.language, c.birth_date, c.home_store_id, c.erased, c.merged_into_id,
                        c.created_at, c.updated_at, contact_preference=c.contact_preference or "")


# The fields a role without Perm.SEE_CONTACT_DETAILS sees masked and may not change.
CONTACT_FIELDS = ("phone", "email", "address")
CONTACT_REFUSED = "your role may not change contact details"


def _masks(c: Customer) -> dict[str, str]:
    return {"phone": mask_phone(c.phone_e164), "email": mask_email(c.email), "address": ""}


def view_for(actor: Actor, c: Customer) -> CustomerView:
    """The record as ``actor`` may see it: contact details masked unless the role may see them."""
    v = view(c)
    if actor.can(Perm.SEE_CONTACT_DETAILS):
        return v
    m = _masks(c)
    return replace(v, phone=m["phone"] or None, email=m["email"] or None, address=m["address"],
                   contact_masked=True)


def _without_masked_contact(actor: Actor, c: Customer, changes: dict[str, Any]) -> dict[str, Any]:
    """For a role that may not see contact details: a contact field sent back as the mask
    it was shown (or left out) is no change; any other value is refused. So a form
    round-trip never writes the mask over the real phone, and never changes it either."""
    if actor.can(Perm.SEE_CONTACT_DETAILS):
        return changes
    masks = _masks(c)
    errors = [ValidationError(f, CONTACT_REFUSED) for f in CONTACT_FIELDS
              if f in changes and str(changes[f] or "").strip() != masks[f]]
    if errors:
        raise ValidationErrors(errors)
    return {k: v for k, v in changes.items() if k not in CONTACT_FIELDS}


def _region(session: Session, actor: Actor) -> str:
    store = session.get(Store, actor.store_id)
    return store.country if store else "US"


EDITABLE = ("given_name", "family_name", "phone", "email", "address", "language", "birth_date",
            "contact_preference")
CONTACT_PREFERENCES = ("", "sms", "email", "phone", "none")     # "" = not said


def _clean(session: Session, actor: Actor, values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate every given field; collect all problems so the form can show each one
    beside its field at once."""
    errors: list[ValidationError] = []
    out: dict[str, Any] = {}
    region = _region(session, actor)

    def attempt(name: str, fn: Callable[[], object]) -> None:
        try:
            out[name] = fn()
        except ValidationError as e:
            errors.append(e)

    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a customer field")
    if "given_name" in values:
        attempt("given_name", lambda: normalize_name(values["given_name"] or "", field="given_name",
                                                      required=False))
    if "family_name" in values:
        attempt("family_name", lambda: normalize_name(values["family_name"] or "", field="family_name",
                                                       required=False))
    if "phone" in values:
        attempt("phone_e164", lambda: normalize_phone(values["phone"], region=region)
                if (values["phone"] or "").strip() else None)
    if "email" in values:
        attempt("email", lambda: normalize_email(values["email"]) if (values["email"] or "").strip() else None)
    if "address" in values:
        attempt("address", lambda: normalize_free_text(values["address"], field="address", max_len=300,
                                                       multiline=True))
    if "language" in values:
        lang = values["language"] or None
        if lang is not None and lang not in LANGUAGES:
            errors.append(ValidationError("language", "is not a supported language"))
        out["language"] = lang
    if "contact_preference" in values:
        pref = values["contact_preference"] or ""
        if pref not in CONTACT_PREFERENCES:
            errors.append(ValidationError("contact_preference", "is not a way to contact a customer"))
        out["contact_preference"] = pref
    if "birth_date" in values:
        bd = values["birth_date"]
        store = session.get(Store, actor.store_id)
        today = clock.today(store.timezone if store else "UTC")
        try:
            if bd is not None:
                if isinstance(bd, datetime):
                    raise ValidationError("birth_date", "must be a date")
                check_date(bd, field="birth_date")       # year 9999: an answer, not OverflowError
                if bd > today:
                    raise ValidationError("birth_date", "must be a date in the past")
        except ValidationError as e:
            errors.append(e)
        out["birth_date"] = bd
    if creating and not (out.get("given_name") or out.get("family_name")) and not any(
            e.field in ("given_name", "family_name") for e in errors):
        errors.append(ValidationError("family_name", "a name is required"))
    if errors:
        raise ValidationErrors(errors)
    return out


def _check_reachable(c: Customer) -> None:
    """Text messages need a phone number, e-mails an address."""
    if c.contact_preference == "sms" and not c.phone_e164:
        raise ValidationError("contact_preference", "text messages need a phone number")
    if c.contact_preference == "email" and not c.email:
        raise ValidationError("contact_preference", "e-mails need an e-mail address")


def create_customer(session: Session, actor: Actor, **values: Any) -> CustomerView:
    require(actor, Perm.EDIT_CUSTOMERS)
    clean = _clean(session, actor, values, creating=True)
    c = Customer(home_store_id=actor.store_id, **clean)
    _check_reachable(c)
    c.name_pinyin, c.name_initials = search_names(c.given_name or "", c.family_name or "")
    session.add(c)
    session.flush()
    audit.record(session, actor, "customer.create", "customer", c.id)
    return view_for(actor, c)


def _live(session: Session, customer_id: uuid.UUID) -> Customer:
    return get_or_not_found(session, Customer, customer_id, "customer", live=lambda c: not c.erased)


def get_customer(session: Session, actor: Actor, customer_id: uuid.UUID) -> CustomerView:
    require(actor, Perm.VIEW_CUSTOMERS)
    c = _live(session, customer_id)
    audit.record(session, actor, "customer.view", "customer", c.id)
    return view_for(actor, c)


def update_customer(session: Session, actor: Actor, customer_id: uuid.UUID, **changes: Any) -> CustomerView:
    require(actor, Perm.EDIT_CUSTOMERS)
    c = _live(session, customer_id)
    changes = _without_masked_contact(actor, c, changes)
    clean = _clean(session, actor, changes, creating=False)
    changed = []
    for k, v in clean.items():
        if getattr(c, k) != v:
            setattr(c, k, v)
            changed.append(k)
    if not (c.given_name or c.family_name):
        raise ValidationError("family_name", "a name is required")
    if {"contact_preference", "phone_e164", "email"} & set(changed):
        _check_reachable(c)
    if {"given_name", "family_name"} & set(changed):
        c.name_pinyin, c.name_initials = search_names(c.given_name, c.family_name)
    session.flush()
    if changed:
        # field names only: what changed, never the values
        audit.record(session, actor, "customer.update", "customer", c.id, detail=",".join(sorted(changed)))
    return view_for(actor, c)


# --- lookup ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerRow:
    """One line of a result list: enough to tell two namesakes apart, contact masked
    unless the role may see it."""

    id: uuid.UUID
    display_name: str
    phone: str
    email: str
    last_visit: datetime | None
    tier: str | None


def mask_phone(phone: str | None) -> str:
    """The last four digits, which tell namesakes apart (six 王芳 differ there, not in +86131)."""
    if not phone:
        return ""
    return "•••• " + phone[-4:]


def short_id(value: str | None, head: int = 8, tail: int = 4) -> str:
    """An IMEI or serial shortened in the middle for a list ("35693803…4509"): staff compare
    the end with the label and the start with the model, so neither is cut off. Every list
    that shortens one uses this; paper prints them whole."""
    if not value:
        return ""
    if len(value) <= head + tail + 1:
        return value
    return f"{value[:head]}…{value[-tail:]}"


def mask_email(email: str | None) -> str:
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def search(session: Session, actor: Actor, text: str, limit: int = 50) -> list[CustomerRow]:
    """Find customers by name, pinyin, phone digits or email (issue 5 adds indexes and
    ranking). Never lists erased or merged-away profiles."""
    from sqlalchemy import func, or_, select

    from core.folding import fold, storable
    from core.models import LoyaltyAccount
    from core.validation import phone_digits

    require(actor, Perm.VIEW_CUSTOMERS)
    text = (text or "").strip()
    if not text or not storable(text):
        return []
    like = f"%{fold(text)}%"
    digits = phone_digits(text)
    # names folded as the lookup folds them (core.folding): accents, case and script do not matter
    conds = [func.orchard_fold(Customer.given_name + " " + Customer.family_name).like(like),
             func.orchard_fold(Customer.family_name + Customer.given_name).like(like),
             Customer.name_pinyin.like(like), func.replace(Customer.name_pinyin, " ", "").like(like),
             Customer.name_initials == fold(text), func.lower(Customer.email).like(f"%{text.lower()}%")]
    if len(digits) >= 4:
        conds.append(Customer.phone_e164.like(f"%{digits}"))
    q = (select(Customer, LoyaltyAccount.tier)
         .outerjoin(LoyaltyAccount, LoyaltyAccount.customer_id == Customer.id)
         .where(Customer.erased.is_(False), Customer.merged_into_id.is_(None), or_(*conds))
         .order_by(Customer.family_name, Customer.given_name).limit(limit))
    show = actor.can(Perm.SEE_CONTACT_DETAILS)
    rows = []
    for c, tier in session.execute(q):
        rows.append(CustomerRow(c.id, c.display_name, (c.phone_e164 or "") if show else mask_phone(c.phone_e164),
                                (c.email or "") if show else mask_email(c.email), c.updated_at, tier))
    return rows
