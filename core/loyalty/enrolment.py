"""Joining the programme: the form the enrolment dialog shows, and ``enroll`` (the
programme consent with the version of the terms shown, optional marketing consents, a
member number, the welcome bonus)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, ValidationError, ValidationErrors
from core.lookup import get_or_not_found
from core.loyalty.entries import _now, _rules_in_force
from core.loyalty.members import MemberView, _view
from core.loyalty.rules import CHANNELS, MEMBER_PREFIX, _expiry, fact_id
from core.models import Consent, Customer, LoyaltyAccount, LoyaltyEntry
from core.permissions import Actor, Perm, require
from core.validation import luhn_check_digit


@dataclass(frozen=True)
class EnrollmentForm:
    """What the enrolment dialog shows before anything is written."""

    customer_id: uuid.UUID
    display_name: str
    language: str | None               # the customer's, to show the terms in
    programme: dict[str, str]
    terms_version: str
    terms: dict[str, str]              # language -> text
    welcome_bonus: int
    marketing_sms: bool                # consents in force now
    marketing_email: bool
    has_phone: bool
    has_email: bool
    member_number: str | None          # already a member


def _consents_in_force(session: Session, customer_id: uuid.UUID) -> dict[str, bool]:
    rows = session.execute(select(Consent.purpose, Consent.granted, Consent.at)
                           .where(Consent.customer_id == customer_id).order_by(Consent.at)).all()
    return {purpose: granted for purpose, granted, _ in rows}


def _live_customer(session: Session, customer_id: uuid.UUID) -> Customer:
    return get_or_not_found(session, Customer, customer_id, "customer",
                            live=lambda c: not c.erased and c.merged_into_id is None)


def enrollment_form(session: Session, actor: Actor, customer_id: uuid.UUID) -> EnrollmentForm:
    require(actor, Perm.MANAGE_LOYALTY)
    c = _live_customer(session, customer_id)
    rules = _rules_in_force(session)
    consents = _consents_in_force(session, c.id)
    acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)).first()
    audit.record(session, actor, "loyalty.enrol_form", "customer", c.id)
    return EnrollmentForm(c.id, c.display_name, c.language, rules.programme, rules.terms_version, rules.terms,
                          rules.welcome_bonus, consents.get("marketing_sms", False),
                          consents.get("marketing_email", False), bool(c.phone_e164), bool(c.email),
                          acct.member_number if acct is not None and acct.active else None)


def _new_member_number(session: Session) -> str:
    """``8800`` + 8 random digits + a Luhn check digit, not yet taken here.  Random, not a
    counter: stores enrol offline, and 10^8 numbers make a clash between two of them
    negligible (the unique constraint catches it at HQ)."""
    while True:
        body = MEMBER_PREFIX + f"{secrets.randbelow(10 ** 8):08d}"
        number = body + str(luhn_check_digit(body))
        if session.scalar(select(LoyaltyAccount.id).where(LoyaltyAccount.member_number == number)) is None:
            return number


def enroll(session: Session, actor: Actor, customer_id: uuid.UUID, *, terms_version: str, programme: bool,
           marketing_sms: bool = False, marketing_email: bool = False, channel: str = "in_store",
           now: datetime | None = None) -> MemberView:
    """Make the customer a member: the programme consent is required and recorded with the
    version of the terms shown; marketing by SMS and by email are separate and optional
    (a row is recorded where the decision changes what is in force).  A welcome bonus."""
    require(actor, Perm.MANAGE_LOYALTY)
    now = _now(now)
    c = _live_customer(session, customer_id)
    rules = _rules_in_force(session)
    errors = []
    if not programme:
        errors.append(ValidationError("programme", "the customer must agree to the programme terms to join"))
    if terms_version != rules.terms_version:
        errors.append(ValidationError("terms_version", "the terms have changed; show the current terms again"))
    if channel not in CHANNELS:
        errors.append(ValidationError("channel", "is not a known channel"))
    if marketing_sms and not c.phone_e164:
        errors.append(ValidationError("marketing_sms", "the customer has no mobile number"))
    if marketing_email and not c.email:
        errors.append(ValidationError("marketing_email", "the customer has no email address"))
    if errors:
        raise ValidationErrors(errors)
    # the account's id follows from the customer: two stores enrolling the same customer
    # offline make one account, not two
    acct = session.get(LoyaltyAccount, fact_id("account", c.id))
    if acct is None:
        acct = session.scalars(select(LoyaltyAccount).where(LoyaltyAccount.customer_id == c.id)).first()
    if acct is not None and acct.active:
        raise Conflict("the customer is already a member")
    in_force = _consents_in_force(session, c.id)
    decisions = {"loyalty": True, "marketing_sms": bool(marketing_sms), "marketing_email": bool(marketing_email)}
    recorded = []
    for purpose, granted in decisions.items():
        if purpose == "loyalty" or in_force.get(purpose, False) != granted:
            session.add(Consent(customer_id=c.id, purpose=purpose, granted=granted,
                                notice_version=rules.terms_version, channel=channel, staff_id=actor.staff_id,
                                store_id=actor.store_id, at=now))
            recorded.append(f"{purpose}={'yes' if granted else 'no'}")
    if acct is None:
        acct = LoyaltyAccount(id=fact_id("account", c.id), customer_id=c.id,
                              member_number=_new_member_number(session), store_id=actor.store_id,
                              terms_version=rules.terms_version, enrolled_at=now, tier=rules.tiers[-1].code,
                              active=True, created_at=now, updated_at=now)
        session.add(acct)
    else:   # back after leaving: same number and ledger, the terms agreed now
        acct.active = True
        acct.terms_version = rules.terms_version
    session.flush()
    bonus_id = fact_id("welcome", acct.id)
    if rules.welcome_bonus and session.get(LoyaltyEntry, bonus_id) is None:
        session.add(LoyaltyEntry(id=bonus_id, account_id=acct.id, kind="bonus", points=rules.welcome_bonus,
                                 reason="Welcome bonus", ref_type="enrolment", ref_id=acct.id,
                                 store_id=actor.store_id, staff_id=actor.staff_id, at=now,
                                 expires_at=_expiry(rules, "bonus", now)))
    session.flush()
    audit.record(session, actor, "loyalty.enrol", "loyalty_account", acct.id, detail=",".join(recorded))
    return _view(session, acct, c, rules, now)
