"""Sealing a secret to the recovery key's public half, and opening it with the code.

The code derives an X25519 key pair (HKDF-SHA256 over the normalised code: the code is
130 random bits, so it needs no slow stretching; nothing weaker than the code is ever
fed to the derivation). Only the PUBLIC key is kept on the computer, so anything can be
sealed to it at any time (a new database key after a rotation, a backup's key) without
the code, and only the code opens it again.

A sealed box is ECIES: an ephemeral X25519 key, HKDF-SHA256 over the shared secret (salt:
both public keys) to an AES-256-GCM key, a random 96-bit nonce, and the box's purpose as
associated data, so a box sealed for one purpose ("database-key", "backup-key") is
refused for another. Stored as a small dict of base64 strings. No Qt, no database here.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.recovery.codes import canonical_bytes

SEAL_VERSION = 1
_CODE_SALT = b"orchard-recovery-key/v1"


class SealError(ValueError):
    """The box was not sealed to this code, is damaged, or is of another purpose (says no more)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise SealError("bad box")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise SealError("bad box") from None


def private_key(code: str) -> X25519PrivateKey:
    """The recovery private key of ``code`` (ValidationError when the code is mistyped)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_CODE_SALT,
               info=b"orchard/recovery/x25519").derive(canonical_bytes(code))
    return X25519PrivateKey.from_private_bytes(raw)


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key(code: str) -> str:
    """The public half of ``code``'s key, base64: what a database's meta keeps."""
    return _b64(_raw_public(private_key(code).public_key()))


def _wrap_key(shared: bytes, eph_pub: bytes, recipient: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient,
                info=f"orchard/recovery-seal/v1/{purpose}".encode()).derive(shared)


def _aad(purpose: str) -> bytes:
    return f"orchard-recovery-box|{SEAL_VERSION}|{purpose}".encode()


def seal(public_b64: str, secret: bytes, purpose: str) -> dict[str, Any]:
    """``secret`` sealed to the recovery public key (base64) for ``purpose``."""
    recipient = _unb64(public_b64)
    if len(recipient) != 32:
        raise SealError("bad public key")
    eph = X25519PrivateKey.generate()
    eph_pub = _raw_public(eph.public_key())
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient))
    nonce = secrets.token_bytes(12)
    box = AESGCM(_wrap_key(shared, eph_pub, recipient, purpose)).encrypt(nonce, secret, _aad(purpose))
    return {"v": SEAL_VERSION, "epk": _b64(eph_pub), "nonce": _b64(nonce), "box": _b64(box)}


def open_with_key(key: X25519PrivateKey, sealed: dict[str, Any], purpose: str) -> bytes:
    """The secret in ``sealed``; SealError when ``key`` does not open it."""
    if not isinstance(sealed, dict) or sealed.get("v") != SEAL_VERSION:
        raise SealError("bad box")
    eph_pub, nonce, box = _unb64(sealed.get("epk")), _unb64(sealed.get("nonce")), _unb64(sealed.get("box"))
    if len(eph_pub) != 32 or len(nonce) != 12:
        raise SealError("bad box")
    recipient = _raw_public(key.public_key())
    shared = key.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    try:
        return AESGCM(_wrap_key(shared, eph_pub, recipient, purpose)).decrypt(nonce, box, _aad(purpose))
    except InvalidTag:
        raise SealError("bad box") from None


def open_sealed(code: str, sealed: dict[str, Any], purpose: str) -> bytes:
    """The secret in ``sealed`` opened with ``code``: ValidationError for a mistyped code,
    SealError for a code that is not the one it was sealed to."""
    return open_with_key(private_key(code), sealed, purpose)


__all__ = ["SealError", "open_sealed", "open_with_key", "private_key", "public_key", "seal"]
