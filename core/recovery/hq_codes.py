"""One-time admin reset codes that HQ issues for an enrolled store (issue 24).

When a store's only admin is locked out and the recovery key is not at hand, HQ prints
a code (``orchard-hq admin-reset-code STORE``) that the store checks offline. It is
signed with a key both sides derive from the store's HQ credential, as survey tokens
are (:mod:`core.care.tokens`): the store holds the credential, HQ its SHA-256, and both
derive the key from that hash, under another label. A code of one store is worthless at
another; re-enrolling a store voids the codes issued before. The store keeps the ids of
used codes, so each works once. No Qt, no database here.

Layout: ``version(1) | id(5) | expires, whole minutes since 1970 (4, big-endian) |
HMAC-SHA256 truncated(10)``: 20 bytes, written as 32 Crockford base32 characters in 8
groups of 4.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
from dataclasses import dataclass
from datetime import datetime, timezone

from core.recovery.codes import ALPHABET

VERSION = 1
_BODY = struct.Struct(">B5sI")
_MAC_LEN = 10
_RAW_LEN = _BODY.size + _MAC_LEN        # 20 bytes
_CHARS = _RAW_LEN * 8 // 5              # 32 characters
_GROUP = 4
_LABEL = b"orchard admin reset v1"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class BadResetCode(ValueError):
    """A code that is garbled, of another store, or of an unknown version (says no more)."""


@dataclass(frozen=True)
class ResetCode:
    id: str                      # 10 hex digits: what the store records once it is used
    expires_at: datetime         # aware UTC, whole minutes

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def key_from_credential_hash(credential_hash_hex: str) -> bytes:
    """The signing key from the SHA-256 (hex) of the store's HQ credential secret."""
    return hmac.new(credential_hash_hex.lower().encode("ascii"), _LABEL, hashlib.sha256).digest()


def key_from_credential(credential: str) -> bytes:
    """The same key, at the store, from its credential (``<store id>.<secret>``)."""
    secret = credential.partition(".")[2] or credential
    return key_from_credential_hash(hashlib.sha256(secret.encode("utf-8")).hexdigest())


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, _LABEL + b"|" + body, hashlib.sha256).digest()[:_MAC_LEN]


def make(key: bytes, *, expires_at: datetime) -> str:
    """A new one-time code valid until ``expires_at`` (aware)."""
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be an aware time")
    body = _BODY.pack(VERSION, secrets.token_bytes(5), int(expires_at.timestamp() // 60))
    number = int.from_bytes(body + _mac(key, body), "big")
    text = "".join(ALPHABET[(number >> (5 * (_CHARS - 1 - i))) & 31] for i in range(_CHARS))
    return "-".join(text[i:i + _GROUP] for i in range(0, _CHARS, _GROUP))


def looks_like(text: str) -> bool:
    """Whether ``text`` has a reset code's length (32 characters; a recovery key has 30):
    how one box can take either."""
    return isinstance(text, str) and len(text) <= 100 and sum(ch.isalnum() for ch in text) == _CHARS


def verify(key: bytes, text: str) -> ResetCode:
    """The code's contents when ``key`` signed it; :class:`BadResetCode` otherwise. Expiry
    and single use are the caller's to check (:meth:`ResetCode.expired`, its own record)."""
    if not isinstance(text, str) or len(text) > 100:
        raise BadResetCode("bad code")
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_LOOKALIKE)
    if len(compact) != _CHARS or any(ch not in _VALUE for ch in compact):
        raise BadResetCode("bad code")
    number = 0
    for ch in compact:
        number = number << 5 | _VALUE[ch]
    raw = number.to_bytes(_RAW_LEN, "big")
    body, mac = raw[:_BODY.size], raw[_BODY.size:]
    if not hmac.compare_digest(_mac(key, body), mac):
        raise BadResetCode("bad code")
    version, ident, minutes = _BODY.unpack(body)
    if version != VERSION:
        raise BadResetCode("bad code")
    return ResetCode(ident.hex(), datetime.fromtimestamp(minutes * 60, timezone.utc))


__all__ = ["BadResetCode", "ResetCode", "key_from_credential", "key_from_credential_hash", "looks_like", "make",
           "verify"]
