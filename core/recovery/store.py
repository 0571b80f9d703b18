"""The recovery key of one store database file: enabling it, and getting the key back with it.

The database's meta (``<db>.meta.json``, :class:`core.vault.DbMeta`) keeps the recovery
key's PUBLIC half and the database key sealed to it. The vault seals every new key of a
rotation to the same public key, so the code printed at set-up keeps working for the
life of the store (until a new recovery key replaces it). The code itself is never kept.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from core.errors import ValidationError, WrongKey
from core.recovery.codes import FIELD, normalise
from core.recovery.sealing import SealError, open_with_key, private_key, public_key, seal
from core.vault import RECOVERY_PURPOSE, DbMeta, KeyCandidate, key_check


def _wrong_code() -> WrongKey:
    return WrongKey("this recovery key does not open this store database")


def enable(db_path: Path | str, key: bytes, code: str) -> None:
    """Keep ``code``'s public key in the database's meta and seal ``key`` (the database's
    current key) to it. A second call with another code replaces the first: the old code
    stops working."""
    db_path = Path(db_path)
    meta = DbMeta.load(db_path)
    if not hmac.compare_digest(key_check(key), meta.key_check):
        raise WrongKey("this key or passphrase does not open the store database")
    public = public_key(normalise(code))
    meta.recovery = {"public": public, "sealed": seal(public, key, RECOVERY_PURPOSE)}
    if meta.pending:
        meta.pending.pop("recovery_sealed", None)   # sealed to the code being replaced
    meta.save(db_path)


def enabled(db_path: Path | str) -> bool:
    """Whether the database has a recovery key."""
    return bool(recovery_public_key(db_path))


def recovery_public_key(db_path: Path | str) -> str | None:
    """The recovery key's public half (base64), to seal other secrets to (a backup's key);
    None when the database has no recovery key."""
    block = DbMeta.load(Path(db_path)).recovery or {}
    public = block.get("public")
    return str(public) if public else None


def candidates(db_path: Path | str, code: str) -> list[KeyCandidate]:
    """The keys ``code`` unseals that pass the meta's key checks: the current key and,
    after an interrupted rotation, the pending one. ValidationError for a mistyped code
    (naming the group), WrongKey for a code that is not this database's."""
    meta = DbMeta.load(Path(db_path))
    block: dict[str, Any] = meta.recovery or {}
    canonical = normalise(code)                     # a typo is a typo, even on a store without one
    if not block.get("public"):
        raise ValidationError(FIELD, "this store database has no recovery key")
    private = private_key(canonical)
    if not hmac.compare_digest(public_key(canonical), str(block["public"])):
        raise _wrong_code()
    found: list[KeyCandidate] = []
    boxes = [(block.get("sealed"), meta.key_check, False)]
    if meta.pending:
        boxes.append((meta.pending.get("recovery_sealed"), str(meta.pending.get("key_check", "")), True))
    for box, check, pending in boxes:
        if not isinstance(box, dict):
            continue
        try:
            key = open_with_key(private, box, RECOVERY_PURPOSE)
        except SealError:
            continue
        if check and hmac.compare_digest(key_check(key), check):
            found.append(KeyCandidate(key, pending))
    if not found:
        raise _wrong_code()
    return found


def unseal(db_path: Path | str, code: str) -> bytes:
    """The database key ``code`` unseals (the current one; after an interrupted rotation
    the one that may open the file). Errors as :func:`candidates`."""
    found = candidates(db_path, code)
    current = [c for c in found if not c.pending]
    return (current or found)[0].key


__all__ = ["candidates", "enable", "enabled", "recovery_public_key", "unseal"]
