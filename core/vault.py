"""The store database's key: where it lives, how it is found, how it is changed.

A random 256-bit key lives in the OS keyring.  Where there is no real keyring
(the ``fail`` backend on a machine without D-Bus, or keyrings.alt's plaintext
file, which would put the key on disk next to the data), the key is derived from
the store passphrase with Argon2id and a salt kept beside the database.

Beside ``store.db`` sits ``store.db.meta.json``: the database's id, where its key
comes from, the KDF salt and parameters, and a *key check* (an HMAC of a fixed
label under the key).  The key check is what lets Orchard tell a wrong key from
a damaged file; it reveals nothing an attacker could not learn by trying to
decrypt page 1 of the database, and Argon2id makes both equally expensive.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


import keyring
import keyring.backend
import keyring.errors
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.errors import (
    DatabaseExists, KeyringLost, MissingKey, NotAnOrchardDatabase, PassphraseRequired, VaultError, WrongKey,
)

KEYRING_SERVICE = "Orchard"
META_FORMAT = "orchard-store-db/1"
KEY_BYTES = 32
SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults follow RFC 9106's second recommendation (64 MiB)."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        if not passphrase:
            raise PassphraseRequired("a store passphrase is needed to open the database")
        return Argon2id(
            salt=salt, length=KEY_BYTES, iterations=self.iterations,
            lanes=self.lanes, memory_cost=self.memory_kib,
        ).derive(passphrase.encode("utf-8"))


def key_check(key: bytes) -> str:
    return hmac.new(key, b"orchard-key-check-v1", hashlib.sha256).hexdigest()


def derive_subkey(key: bytes, purpose: str) -> bytes:
    """A key for another purpose (the audit chain, passcode sealing) derived from the
    database key, so there is one secret to keep and rotate."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"orchard/{purpose}/v1".encode()).derive(key)


# --- keyring -------------------------------------------------------------------------

def _unsafe_backend(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    return (
        module.startswith("keyrings.alt")          # plaintext or home-made file stores
        or module.startswith("keyring.backends.fail")
        or module.startswith("keyring.backends.null")
    )


def keyring_usable() -> bool:
    """True when the active keyring keeps secrets in a real OS store."""
    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)
    if chained is not None:  # the chainer writes to the first backend that accepts
        return bool(chained) and not any(_unsafe_backend(b) for b in chained)
    return not _unsafe_backend(backend)


def _kr_get(name: str) -> bytes | None:
    try:
        value = keyring.get_password(KEYRING_SERVICE, name)
    except keyring.errors.KeyringError as exc:
        raise MissingKey("the OS keyring could not be read ({error})", error=type(exc).__name__) from None
    return bytes.fromhex(value) if value else None


def _kr_set(name: str, key: bytes) -> None:
    try:
        keyring.set_password(KEYRING_SERVICE, name, key.hex())
    except keyring.errors.KeyringError as exc:
        raise VaultError("the OS keyring refused the key ({error})", error=type(exc).__name__) from None


def _kr_delete(name: str) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except keyring.errors.KeyringError:     # not there, or no keyring at all (nothing to forget)
        pass


# --- files ---------------------------------------------------------------------------

def atomic_write(path: Path, data: bytes, mode: int = 0o600, *, exclusive: bool = False) -> None:
    """Write a file so that a crash leaves either the old or the new content: a temp
    file in the same folder, mode set before any data, fsync, rename, fsync the folder.
    ``exclusive``: never replace an existing file (a hard link, which fails if the name
    is taken, instead of the rename); FileExistsError then, and the old file is untouched."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:          # a file system without hard links: reserve the name, then rename
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def meta_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".meta.json")


def meta_exists() -> DatabaseExists:
    return DatabaseExists("a store database's key information file already exists at this location; "
                          "it was left untouched (move it away to create a new store here)")


def is_plain_sqlite(db_path: Path) -> bool:
    with open(db_path, "rb") as fh:
        return fh.read(16) == SQLITE_PLAIN_HEADER


@dataclass
class DbMeta:
    """What sits beside the database file. Holds no secret."""

    db_id: str
    key_source: str                  # "keyring" or "passphrase"
    key_check: str
    salt: str | None = None          # base64, passphrase mode
    kdf: dict[str, Any] | None = None
    pending: dict[str, Any] | None = None      # a rotation in flight: {"key_check", "salt", "kdf"}
    format: str = META_FORMAT
    # the recovery key (core.recovery): {"public": its X25519 public key, "sealed": this key
    # sealed to it}; a rotation in flight seals its key too (pending["recovery_sealed"])
    recovery: dict[str, Any] | None = None

    @classmethod
    def load(cls, db_path: Path) -> "DbMeta":
        path = meta_path(db_path)
        if not path.exists():
            if Path(db_path).exists() and is_plain_sqlite(db_path):
                raise NotAnOrchardDatabase(
                    "this file is a plain, unencrypted SQLite database, not an Orchard store database")
            raise NotAnOrchardDatabase(
                "this file is not an Orchard store database (its key information file is missing)")
        try:
            raw = json.loads(path.read_text("utf-8"))
            if raw.get("format") != META_FORMAT:
                raise ValueError
            return cls(**raw)
        except (ValueError, TypeError):
            raise NotAnOrchardDatabase("the database's key information file is not Orchard's") from None

    def save(self, db_path: Path, *, new: bool = False) -> None:
        """``new``: the meta of a database being created, which never replaces another's."""
        try:
            atomic_write(meta_path(db_path), json.dumps(asdict(self), indent=2).encode("utf-8"), exclusive=new)
        except FileExistsError:
            raise meta_exists() from None


# --- the key -------------------------------------------------------------------------

RECOVERY_PURPOSE = "database-key"


def _sealed_for_recovery(meta: DbMeta, key: bytes) -> dict[str, Any] | None:
    """``key`` sealed to the store's recovery public key, or None when it has none."""
    if not meta.recovery or not meta.recovery.get("public"):
        return None
    from core.recovery.sealing import seal   # core.recovery builds on this module
    return seal(str(meta.recovery["public"]), key, RECOVERY_PURPOSE)


@dataclass(frozen=True)
class KeyCandidate:
    key: bytes
    pending: bool  # from an unfinished rotation


class Vault:
    """Finds, creates and rotates the key for one store database file."""

    def __init__(self, db_path: Path | str):
        self.db_path = Path(db_path)

    @property
    def keyring_name(self) -> str:
        return f"store-db:{self.meta.db_id}"

    @property
    def meta(self) -> DbMeta:
        return DbMeta.load(self.db_path)

    def new_key(self, passphrase: str | None = None, kdf: KdfParams | None = None) -> tuple[bytes, DbMeta]:
        """A key for a database about to be created, and the meta to write beside it.

        With a usable keyring and no passphrase, a random key goes to the keyring.
        Otherwise the key is derived from the passphrase (required then)."""
        db_id = secrets.token_hex(16)
        if passphrase is None:
            if not keyring_usable():
                raise PassphraseRequired(
                    "this computer has no secure keyring: choose a store passphrase to protect the database")
            key = secrets.token_bytes(KEY_BYTES)
            _kr_set(f"store-db:{db_id}", key)
            return key, DbMeta(db_id=db_id, key_source="keyring", key_check=key_check(key))
        kdf = kdf or KdfParams()
        salt = secrets.token_bytes(16)
        key = kdf.derive(passphrase, salt)
        return key, DbMeta(db_id=db_id, key_source="passphrase", key_check=key_check(key),
                           salt=base64.b64encode(salt).decode(), kdf=asdict(kdf))

    def forget_new_key(self, meta: DbMeta) -> None:
        """Undo ``new_key`` when creating the database failed."""
        if meta.key_source == "keyring":
            _kr_delete(f"store-db:{meta.db_id}")

    def candidates(self, passphrase: str | None = None) -> list[KeyCandidate]:
        """Keys that may open the database: the current one and, after an interrupted
        rotation, the pending one. Raises MissingKey / PassphraseRequired when none."""
        meta = self.meta
        found: list[KeyCandidate] = []

        def from_source(source: str, block: dict[str, Any] | None, pending: bool) -> None:
            if source == "keyring":
                key = _kr_get(self.keyring_name + (":next" if pending else ""))
                if key:
                    found.append(KeyCandidate(key, pending))
            elif passphrase and block and block.get("salt"):
                found.append(KeyCandidate(
                    KdfParams(**block["kdf"]).derive(passphrase, base64.b64decode(block["salt"])), pending))

        from_source(meta.key_source, {"salt": meta.salt, "kdf": meta.kdf}, False)
        if meta.pending:
            from_source(meta.pending.get("source", ""), meta.pending, True)
        if not found:
            if meta.key_source == "passphrase" and not passphrase:
                raise PassphraseRequired("enter the store passphrase to open the database")
            if meta.key_source == "keyring":
                raise KeyringLost("the key is not in this computer's keyring; "
                                  "enter the recovery key or the passphrase")
            raise MissingKey("the key for this database is not in this computer's keyring")
        return found

    def checked_candidates(self, passphrase: str | None = None) -> list[KeyCandidate]:
        """The candidates that pass the meta file's key check: the current key against
        ``key_check``, a pending one against the rotation's. Nothing here reads the
        database file, so a wrong key is refused (WrongKey) before SQLCipher could touch
        the file or its WAL."""
        meta = self.meta
        pending_check = str((meta.pending or {}).get("key_check", ""))
        good = [c for c in self.candidates(passphrase)
                if hmac.compare_digest(key_check(c.key), pending_check if c.pending else meta.key_check)]
        if not good:
            raise WrongKey("this key or passphrase does not open the store database")
        return good

    def known_check(self, key: bytes) -> bool:
        meta = self.meta
        check = key_check(key)
        return hmac.compare_digest(check, meta.key_check) or bool(
            meta.pending and hmac.compare_digest(check, meta.pending.get("key_check", "")))

    # rotation, in the order that leaves every crash point recoverable:
    # 1 record the pending key, 2 rekey the file, 3 make the pending key current.
    def begin_rotation(self, new_passphrase: str | None = None,
                       kdf: KdfParams | None = None) -> bytes:
        """Record the next key. With no passphrase it is a random key kept in the
        keyring (which must be usable); with one, a key derived from it."""
        meta = self.meta
        if new_passphrase is None:
            if not keyring_usable():
                raise PassphraseRequired("this computer has no secure keyring: a new store passphrase is needed")
            key = secrets.token_bytes(KEY_BYTES)
            _kr_set(self.keyring_name + ":next", key)
            meta.pending = {"key_check": key_check(key), "source": "keyring"}
        else:
            kdf = kdf or KdfParams()
            salt = secrets.token_bytes(16)
            key = kdf.derive(new_passphrase, salt)
            meta.pending = {"key_check": key_check(key), "source": "passphrase",
                            "salt": base64.b64encode(salt).decode(), "kdf": asdict(kdf)}
        sealed = _sealed_for_recovery(meta, key)
        if sealed is not None:      # the recovery key opens the file at every crash point
            meta.pending["recovery_sealed"] = sealed
        meta.save(self.db_path)
        return key

    def finish_rotation(self, key: bytes) -> None:
        """The file is now encrypted with ``key``: make it the current key."""
        meta = self.meta
        p = meta.pending or {}
        if p.get("source") == "keyring":
            _kr_set(self.keyring_name, key)
            _kr_delete(self.keyring_name + ":next")
            meta.key_source, meta.salt, meta.kdf = "keyring", None, None
        else:
            _kr_delete(self.keyring_name)
            _kr_delete(self.keyring_name + ":next")
            meta.key_source, meta.salt, meta.kdf = "passphrase", p["salt"], p["kdf"]
        meta.key_check = key_check(key)
        meta.pending = None
        sealed = _sealed_for_recovery(meta, key)
        if sealed is not None and meta.recovery is not None:
            meta.recovery = {**meta.recovery, "sealed": sealed}     # the same code opens the new key
        meta.save(self.db_path)

    def keep_in_keyring(self, key: bytes) -> None:
        """Put the current key (back) in the keyring and make the keyring its home (after
        a recovery); the file keeps its key, only the meta changes."""
        meta = self.meta
        if not hmac.compare_digest(key_check(key), meta.key_check):
            raise WrongKey("this key or passphrase does not open the store database")
        if not keyring_usable():
            raise PassphraseRequired(
                "this computer has no secure keyring: choose a store passphrase to protect the database")
        _kr_set(self.keyring_name, key)
        if meta.key_source != "keyring" or meta.salt or meta.kdf:
            meta.key_source, meta.salt, meta.kdf = "keyring", None, None
            meta.save(self.db_path)

    def abandon_rotation(self) -> None:
        meta = self.meta
        if meta.pending is None:
            return
        if meta.key_source == "keyring":
            _kr_delete(self.keyring_name + ":next")
        meta.pending = None
        meta.save(self.db_path)

    def forget(self) -> None:
        """Remove the keyring entries of a database being deleted."""
        try:
            name = self.keyring_name
        except NotAnOrchardDatabase:
            return
        _kr_delete(name)
        _kr_delete(name + ":next")
