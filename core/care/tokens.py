"""Survey tokens: what a receipt's QR code carries to HQ's survey page (issue 21).

A token names the visit (a repair ticket or an appointment) and the invitation row, never
the person; it expires; it is signed, so HQ can trust it without a login, and HQ answers
it once (HQ's own record of answered invitations). The signing key is derived from the
store's HQ credential: the store holds the credential (keyring), HQ holds its SHA-256
(``hq_store.credential_hash``), and both derive the same key from that hash
(:func:`key_from_credential_hash`). Re-enrolling a store (a new credential) voids the
tokens it printed before. No Qt, no Session here.

Layout (then URL-safe base64 without padding, ~94 characters):
``version(1) | kind(1: 't' ticket, 'a' appointment, 'q' quote, 'u' unsubscribe) | store id(16) | invitation id(16) |
visit id(16) | expires, whole minutes since 1970 (4, big-endian) | HMAC-SHA256 truncated(16)``
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

VERSION = 1
# survey invitations name a visit (a ticket or an appointment); issue 22's links name a
# ticket's quote to approve ("quote": the visit id is the ticket's) or a message request to
# unsubscribe from ("unsubscribe": the visit id is the request's; HQ finds the customer)
_KINDS = {b"t": "ticket", b"a": "appointment", b"q": "quote", b"u": "unsubscribe"}
_CODES = {v: k for k, v in _KINDS.items()}
SURVEY_KINDS = frozenset({"ticket", "appointment"})
_BODY = struct.Struct(">Bc16s16s16sI")
_MAC_LEN = 16
_LABEL = b"orchard survey token v1"
_TO_STANDARD = str.maketrans("-_", "+/")
_STANDARD_ONLY = frozenset("+/=")          # in the standard alphabet, not in a token


class BadToken(ValueError):
    """A token that is garbled, signed with another key, or of an unknown version (says no more)."""


@dataclass(frozen=True)
class Token:
    store_id: uuid.UUID
    invitation_id: uuid.UUID
    visit_kind: str              # "ticket", "appointment" (surveys), "quote", "unsubscribe" (messages)
    visit_id: uuid.UUID
    expires_at: datetime         # aware UTC, whole minutes

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def key_from_credential_hash(credential_hash_hex: str) -> bytes:
    """The signing key from the SHA-256 (hex) of the store's HQ credential."""
    return hmac.new(credential_hash_hex.lower().encode("ascii"), _LABEL, hashlib.sha256).digest()


def key_from_credential(credential: str) -> bytes:
    """The same key, at the store, from the credential itself."""
    return key_from_credential_hash(hashlib.sha256(credential.encode("utf-8")).hexdigest())


def make(key: bytes, *, store_id: uuid.UUID, invitation_id: uuid.UUID, visit_kind: str, visit_id: uuid.UUID,
         expires_at: datetime) -> str:
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be an aware time")
    if visit_kind not in _CODES:
        raise ValueError(f"unknown visit kind {visit_kind!r}")
    minutes = int(expires_at.timestamp() // 60)
    body = _BODY.pack(VERSION, _CODES[visit_kind], store_id.bytes, invitation_id.bytes, visit_id.bytes, minutes)
    mac = hmac.new(key, body, hashlib.sha256).digest()[:_MAC_LEN]
    return base64.urlsafe_b64encode(body + mac).rstrip(b"=").decode("ascii")


def peek_store(text: str) -> uuid.UUID:
    """The store a token claims to come from (unverified: to find the store's key)."""
    return _unpack(text)[0].store_id


def verify(key: bytes, text: str, kinds: frozenset[str] = SURVEY_KINDS) -> Token:
    """The token's contents when ``key`` signed it and it is of one of ``kinds`` (a survey
    link's by default: a quote's or an unsubscribe link never answers a survey, nor the
    other way round); :class:`BadToken` otherwise. Expiry is the caller's to check
    (:meth:`Token.expired`, against its own now)."""
    token, body, mac = _unpack(text)
    if not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest()[:_MAC_LEN], mac):
        raise BadToken("bad token")
    if token.visit_kind not in kinds:
        raise BadToken("bad token")
    return token


def _unpack(text: str) -> tuple[Token, bytes, bytes]:
    if not isinstance(text, str) or len(text) > 200 or not text.isascii():
        raise BadToken("bad token")
    # strict: only the URL-safe alphabet (the standard one's '+' and '/', padding, dots, spaces
    # are refused); it is mapped onto the standard alphabet so b64decode can validate it
    if _STANDARD_ONLY.intersection(text):
        raise BadToken("bad token")
    try:
        raw = base64.b64decode(text.translate(_TO_STANDARD) + "=" * (-len(text) % 4), validate=True)
    except (ValueError, TypeError):          # binascii.Error is a ValueError
        raise BadToken("bad token") from None
    if len(raw) != _BODY.size + _MAC_LEN or base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != text:
        raise BadToken("bad token")             # the wrong length, or spare bits set in the last character
    body, mac = raw[:_BODY.size], raw[_BODY.size:]
    version, kind, store, invitation, visit, minutes = _BODY.unpack(body)
    if version != VERSION or kind not in _KINDS:
        raise BadToken("bad token")
    try:
        at = datetime.fromtimestamp(minutes * 60, timezone.utc)
    except (ValueError, OverflowError, OSError):     # past the year 9999: no token makes that
        raise BadToken("bad token") from None
    return Token(uuid.UUID(bytes=store), uuid.UUID(bytes=invitation), _KINDS[kind], uuid.UUID(bytes=visit), at), body, mac


__all__ = ["SURVEY_KINDS", "BadToken", "Token", "VERSION", "key_from_credential", "key_from_credential_hash", "make", "peek_store",
           "verify"]
