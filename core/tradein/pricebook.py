"""Price books and models: the book in force on a store date, the models it prices, and
``pricing`` (what the questionnaire needs to value one model live, without the database:
the rules, the model's values per grade and the repairs that would raise them)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import clock
from core.errors import Conflict
from core.lookup import get_or_not_found
from core.models import Part, PriceBook, PriceBookEntry, ServiceType, TradeInModel
from core.permissions import Actor, Perm, require
from core.tradein._common import _tz
from core.tradein.valuation import DEFAULT_REPAIRS, DeviceFacts, grades


@dataclass(frozen=True)
class PriceBookView:
    id: uuid.UUID
    version: str
    valid_from: date
    valid_to: date | None
    currency: str


@dataclass(frozen=True)
class ModelRow:
    id: uuid.UUID
    family: str
    kind: str
    name: str
    configuration: str
    release_date: date


@dataclass(frozen=True)
class Pricing:
    """What the questionnaire needs to value one model live, without the database."""

    book: PriceBookView
    rules: dict[str, Any]
    model: ModelRow
    facts: DeviceFacts
    repair_costs: dict[str, tuple[str, int]]      # repair key -> (service code, cents)
    today: date                                   # the store's date


def _book_view(pb: PriceBook) -> PriceBookView:
    return PriceBookView(pb.id, pb.version, pb.valid_from, pb.valid_to, pb.currency)


def _book_in_force(session: Session, on: date) -> PriceBook | None:
    """The price book a quote made on ``on`` uses: in force then, the latest published."""
    q = (select(PriceBook).where(PriceBook.valid_from <= on)
         .where((PriceBook.valid_to.is_(None)) | (PriceBook.valid_to >= on))
         .order_by(PriceBook.valid_from.desc(), PriceBook.id.desc()).limit(1))
    return session.scalars(q).first()


def price_book_in_force(session: Session, actor: Actor, on: date | None = None) -> PriceBookView | None:
    """Version and dates of the price book in force at the store today (or on ``on``)."""
    require(actor, Perm.TAKE_TRADE_INS)
    on = on or clock.today(_tz(session, actor))
    pb = _book_in_force(session, on)
    return _book_view(pb) if pb else None


def _model_row(m: TradeInModel) -> ModelRow:
    return ModelRow(m.id, m.family, m.kind, m.name, m.configuration, m.release_date)


def list_models(session: Session, actor: Actor, on: date | None = None) -> list[ModelRow]:
    """The models the price book in force prices, by family and release."""
    require(actor, Perm.TAKE_TRADE_INS)
    on = on or clock.today(_tz(session, actor))
    pb = _book_in_force(session, on)
    if pb is None:
        return []
    ids = select(PriceBookEntry.model_id).where(PriceBookEntry.price_book_id == pb.id).distinct()
    q = (select(TradeInModel).where(TradeInModel.id.in_(ids))
         .order_by(TradeInModel.kind, TradeInModel.family, TradeInModel.release_date, TradeInModel.name))
    return [_model_row(m) for m in session.scalars(q)]


def _facts(session: Session, pb: PriceBook, m: TradeInModel) -> DeviceFacts:
    bases = {e.grade: e.base_cents for e in session.scalars(
        select(PriceBookEntry).where(PriceBookEntry.price_book_id == pb.id, PriceBookEntry.model_id == m.id))}
    missing = [g for g in grades(pb.rules) if g not in bases]
    if missing:
        raise Conflict("the price book has no value for this model")
    return DeviceFacts(m.kind, m.family, m.release_date, bases)


def _repair_costs(session: Session, rules: Mapping[str, Any], m: TradeInModel) -> dict[str, tuple[str, int]]:
    out = {}
    for spec in rules.get("repairs", DEFAULT_REPAIRS):
        service = session.scalars(select(ServiceType).where(ServiceType.code == spec["service"],
                                                            ServiceType.active.is_(True))).first()
        part = session.scalars(select(Part).where(Part.fits == m.name, Part.sku.startswith(spec["part_prefix"]))
                               .order_by(Part.price_cents)).first()
        if service is not None and part is not None:
            out[spec["key"]] = (service.code, service.price_cents + part.price_cents)
    return out


def pricing(session: Session, actor: Actor, model_id: uuid.UUID, on: date | None = None,
            price_book_id: uuid.UUID | None = None) -> Pricing:
    """The rules and values to price ``model_id`` live: under the book in force on ``on``
    (today), or under ``price_book_id`` (re-quoting a quote made under it)."""
    require(actor, Perm.TAKE_TRADE_INS)
    today = clock.today(_tz(session, actor))
    on = on or today
    pb = session.get(PriceBook, price_book_id) if price_book_id else _book_in_force(session, on)
    if pb is None:
        raise Conflict("no price book is in force")
    m = get_or_not_found(session, TradeInModel, model_id, "model")
    return Pricing(_book_view(pb), dict(pb.rules), _model_row(m), _facts(session, pb, m),
                   _repair_costs(session, pb.rules, m), on)
