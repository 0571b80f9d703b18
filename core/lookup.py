"""Fetching one row by its id, or saying it is not there (``NotFound``).

A row of another store, or one the caller must not see (an erased customer, a merged
one), is reported exactly like a missing row: the caller learns nothing about it.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable, TypeVar

from sqlalchemy.orm import Session

from core.errors import NotFound

T = TypeVar("T")


def get_or_not_found(session: Session, model: type[T], ident: Any, what: str, *,
                     store_id: uuid.UUID | None = None,
                     live: Callable[[T], bool] | None = None) -> T:
    """The ``model`` row with primary key ``ident``; ``NotFound(what)`` when there is none,
    when ``store_id`` is given and the row belongs to another store, or when ``live``
    says the row no longer counts."""
    row = session.get(model, ident)
    # getattr: ``model`` is any mapped class; only those with a store are given ``store_id``
    if (row is None
            or (store_id is not None and getattr(row, "store_id") != store_id)
            or (live is not None and not live(row))):
        raise NotFound(what)
    return row
