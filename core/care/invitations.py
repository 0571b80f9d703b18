"""Survey invitations printed on receipts (issue 21): a QR code to HQ's survey page carrying
a signed token (:mod:`core.care.tokens`) that names the visit and this invitation, never
the person. One invitation per customer per ``survey_invite_days`` (HQ's care setting);
the link expires after ``survey_token_days``.

The signing key comes from the store's HQ credential (:func:`survey_link`): a store that
has not enrolled with HQ prints no QR code."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, clock
from core.care import tokens
from core.care.rules import setting
from core.care.surveys import Visit, _answer_of, _visit
from core.messages import events as message_events
from core.models import RepairTicket, SurveyInvitation
from core.permissions import Actor, Perm, require
from core.sync import credentials
from core.sync.connection import check_url
from core.sync.enrolment import load_settings

if TYPE_CHECKING:
    from core.db import StoreDatabase


@dataclass(frozen=True)
class SurveyLink:
    """What a store needs to print survey links: the signing key and HQ's address."""

    key: bytes
    base_url: str


@dataclass(frozen=True)
class Invitation:
    url: str                    # HQ's survey page with the token in the query string
    expires_at: datetime
    invitation_id: uuid.UUID


def survey_link(db: StoreDatabase) -> SurveyLink | None:
    """The store's key and HQ's address, or None when the store has not enrolled with HQ."""
    credential = credentials.load(db)
    with db.session() as s:
        hq = load_settings(s)
    if not credential or hq is None:
        return None
    # the credential is "<store id>.<secret>"; HQ keeps the SHA-256 of the secret
    # (hq_store.credential_hash), and both sides derive the key from that hash
    secret = credential.partition(".")[2] or credential
    return SurveyLink(tokens.key_from_credential(secret), check_url(hq.url))


def _url(link: SurveyLink, store_id: uuid.UUID, inv: SurveyInvitation, v: Visit) -> str:
    token = tokens.make(link.key, store_id=store_id, invitation_id=inv.id, visit_kind=v.kind, visit_id=v.id,
                        expires_at=inv.expires_at)
    return f"{link.base_url}/survey?t={token}"


def invite(session: Session, actor: Actor, link: SurveyLink, *, ticket_id: uuid.UUID | None = None,
           appointment_id: uuid.UUID | None = None, now: datetime | None = None) -> Invitation | None:
    """An invitation to answer about this finished visit, to print as a QR code; None when
    the visit is not over, already answered, or its customer was invited (for any visit)
    within ``survey_invite_days``. A reprint for the same visit carries the same, still
    valid link (no second invitation)."""
    require(actor, Perm.WORK_TICKETS if appointment_id is None else Perm.BOOK_APPOINTMENTS)
    now = now or clock.now()
    v = _visit(session, actor, ticket_id, appointment_id)
    if not v.finished or _answer_of(session, v) is not None:
        return None
    column = SurveyInvitation.ticket_id if v.kind == "ticket" else SurveyInvitation.appointment_id
    same = session.scalars(select(SurveyInvitation).where(column == v.id, SurveyInvitation.expires_at > now)
                           .order_by(SurveyInvitation.created_at.desc()).limit(1)).first()
    if same is not None:
        return Invitation(_url(link, actor.store_id, same, v), same.expires_at, same.id)
    if v.customer_id is not None:
        if _recently_invited(session, actor.store_id, v.customer_id, now):
            return None
    elif session.scalar(select(SurveyInvitation.id).where(column == v.id).limit(1)) is not None:
        return None             # no customer on file: one invitation per visit
    inv = _new_invitation(session, actor, v, now)
    return Invitation(_url(link, actor.store_id, inv, v), inv.expires_at, inv.id)


def _recently_invited(session: Session, store_id: uuid.UUID, customer_id: uuid.UUID, now: datetime) -> bool:
    """The one interval rule: a customer is invited (for any visit, on a receipt or by a
    message) at most once per ``survey_invite_days``."""
    since = now - timedelta(days=setting(session, "survey_invite_days"))
    return session.scalar(select(SurveyInvitation.id).where(
        SurveyInvitation.store_id == store_id, SurveyInvitation.customer_id == customer_id,
        SurveyInvitation.created_at > since).limit(1)) is not None


def _new_invitation(session: Session, actor: Actor, v: Visit, now: datetime) -> SurveyInvitation:
    """The invitation row for the visit ``v``, expiring after ``survey_token_days``."""
    # whole minutes, as the token carries it: the row and the link expire together
    expires = (now + timedelta(days=setting(session, "survey_token_days"))).replace(second=0, microsecond=0)
    inv = SurveyInvitation(store_id=actor.store_id, customer_id=v.customer_id,
                           ticket_id=v.id if v.kind == "ticket" else None,
                           appointment_id=v.id if v.kind == "appointment" else None,
                           created_at=now, expires_at=expires)
    session.add(inv)
    session.flush()
    audit.record(session, actor, "survey.invite", "survey_invitation", inv.id, detail=f"visit={v.kind}")
    return inv


def invite_by_message(session: Session, actor: Actor, ticket: RepairTicket, now: datetime) -> uuid.UUID | None:
    """After pickup: an invitation sent as a message (HQ makes the link with its id) when
    the customer would get the message and the interval rule allows; its id, else None."""
    require(actor, Perm.WORK_TICKETS)
    if ticket.customer_id is None or not message_events.survey_wanted(session, ticket):
        return None
    v = _visit(session, actor, ticket.id, None)
    if _answer_of(session, v) is not None or _recently_invited(session, actor.store_id, ticket.customer_id, now):
        return None
    inv = _new_invitation(session, actor, v, now)
    message_events.survey_invitation(session, ticket, inv.id, now)
    return inv.id


__all__ = ["Invitation", "SurveyLink", "invite", "invite_by_message", "survey_link"]
