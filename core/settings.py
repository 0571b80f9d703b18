"""Store-wide settings a manager sets (kept in the store row, so every counter follows)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from core import money
from core.errors import ValidationError, ValidationErrors
from core.permissions import Actor, Perm, require

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The ORM (core.audit, core.lookup, core.models) loads inside the functions: the app reads
# IDLE_DEFAULT before the sign-in page, which shows before SQLAlchemy has loaded (issue 25).

IDLE_DEFAULT = 15
IDLE_MIN, IDLE_MAX = 2, 15      # PCI DSS 8.2.8: a session idle for more than 15 minutes locks
LABEL_MAX = 40


def idle_minutes(session: Session, store_id: uuid.UUID) -> int:
    """The idle lock's timeout; a value kept from before the 15-minute cap (or a bad one) is
    brought within IDLE_MIN..IDLE_MAX as it is read."""
    from core.models import Store
    store = session.get(Store, store_id)
    raw = (store.settings or {}).get("idle_minutes", IDLE_DEFAULT) if store else IDLE_DEFAULT
    try:
        minutes = int(raw)
    except (TypeError, ValueError):
        return IDLE_DEFAULT
    return max(IDLE_MIN, min(IDLE_MAX, minutes))


def set_idle_minutes(session: Session, actor: Actor, minutes: int) -> int:
    from core import audit
    from core.lookup import get_or_not_found
    from core.models import Store
    require(actor, Perm.MANAGE_SETTINGS)
    if not isinstance(minutes, int) or not IDLE_MIN <= minutes <= IDLE_MAX:
        raise ValidationError("idle_minutes", "must be between {low} and {high} minutes",
                              low=IDLE_MIN, high=IDLE_MAX)
    store = get_or_not_found(session, Store, actor.store_id, "store")
    store.settings = {**(store.settings or {}), "idle_minutes": minutes}
    audit.record(session, actor, "settings.idle_minutes", "store", store.id, detail=str(minutes))
    return minutes


def tax(session: Session, store_id: uuid.UUID) -> money.TaxRule:
    from core.lookup import get_or_not_found
    from core.models import Store
    store = get_or_not_found(session, Store, store_id, "store")
    return money.TaxRule.of(store)


def set_tax(session: Session, actor: Actor, *, rate: str, inclusive: bool, label: str) -> money.TaxRule:
    """The store's tax: a rate in percent (up to four decimal places), whether its prices
    include it, and the name printed on receipts (VAT, GST, Sales tax)."""
    from core import audit
    from core.lookup import get_or_not_found
    from core.models import Store
    require(actor, Perm.MANAGE_SETTINGS)
    errors: list[ValidationError] = []
    try:
        parsed = money.parse_rate(rate)
    except ValueError:
        errors.append(ValidationError("tax_rate", "must be a percentage from 0 to below 100, with at most {n} "
                                                  "decimal places", n=money.TAX_RATE_PLACES))
    if not isinstance(inclusive, bool):
        errors.append(ValidationError("tax_inclusive", "must say whether prices include the tax"))
    label = (label or "").strip()
    if len(label) > LABEL_MAX:
        errors.append(ValidationError("tax_label", "must be at most {n} characters", n=LABEL_MAX))
    elif not errors and parsed > 0 and not label:
        errors.append(ValidationError("tax_label", "name the tax printed on receipts"))
    if errors:
        raise ValidationErrors(errors)
    store = get_or_not_found(session, Store, actor.store_id, "store")
    # plain notation: a normalised 20 would be kept (and synced, and exported) as "2E+1"
    store.tax_rate, store.tax_inclusive, store.tax_label = f"{parsed:f}", inclusive, label
    rule = money.TaxRule.of(store)
    audit.record(session, actor, "settings.tax", "store", store.id,
                 detail=f"{money.rate_text(rule.rate)} {'inclusive' if inclusive else 'exclusive'} {label}")
    return rule
