"""First run at a store: the answers the set-up wizard (or ``orchard setup --answers``)
collects, their checks, the draft kept between sittings, and making the store.

A new store is built whole or not at all: the database is made as ``<db>.partial`` (with
its key, its store and first admin, the enrolment with HQ and HQ's reference data, the
printers and backup folder, the recovery key) and only then renamed into place. Any
failure on the way removes the partial files and forgets their keyring entries, so a
second try starts clean and the app never opens a half-made store.

With an HQ enrolment code the store's identity (code, name), time zone and currency come
from HQ: the code is looked up first without being used (``/v1/enrol/preview``), the store
is built from what HQ keeps, then it enrols with the same code and pulls HQ's reference
data (price book, service types, rules) before the rename.

The draft (``setup-draft.json`` beside the database) holds the answers given so far and
the page reached, never a password, PIN, passphrase or enrolment code.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import DatabaseExists, OrchardError, ValidationError, ValidationErrors
from core.validation import normalize_name

if TYPE_CHECKING:
    import httpx

    from core.db import StoreDatabase
    from core.vault import KdfParams

LANGUAGES = ("en", "zh_CN")
MODES = ("new", "enrol")
KEY_MODES = ("keyring", "passphrase")
MIN_PASSPHRASE = 10
SECRETS = frozenset({"admin_password", "admin_pin", "passphrase", "enrolment_code"})
DRAFT_NAME = "setup-draft.json"
DRAFT_FORMAT = "orchard-setup-draft/1"
PRINTER_KEYS = {"receipt_printer": "printer.receipt", "label_printer": "printer.label"}
BACKUP_FOLDER_KEY = "backup.folder"
STEPS = 6                            # what create_store reports progress in


class EnrolmentLost(OrchardError):
    """HQ took the enrolment code, then the set-up failed here: the code is used up. HQ
    issues a new one for the same store (``orchard-hq enroll-store``); the next try keeps
    ``store_id`` (the draft holds it) so HQ knows the database it enrols is this store."""

    @property
    def store_id(self) -> str:
        return str(self.params.get("store_id", ""))


@dataclass
class SetupAnswers:
    """Everything the first run asks. Field names are the ones ``validate`` names."""

    language: str = "en"
    mode: str = "new"                    # "new" | "enrol"
    store_code: str = ""
    store_name: str = ""
    timezone: str = ""
    country: str = ""
    currency: str = ""
    hq_url: str = ""
    enrolment_code: str = ""
    hq_ca_file: str = ""
    admin_name: str = ""
    admin_number: str = "1"
    admin_password: str = ""
    admin_pin: str = ""
    key_mode: str = "keyring"            # "keyring" | "passphrase"
    passphrase: str = ""
    backup_folder: str = ""
    receipt_printer: str = ""
    label_printer: str = ""
    store_id: str = ""                   # kept after an enrolment that could not finish (EnrolmentLost)

    # --- reading and writing ------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SetupAnswers:
        """Answers from JSON (the draft, or an answers file). An unknown key is refused
        (a misspelt answer must not be dropped without a word); values become text."""
        if not isinstance(data, dict):
            raise ValidationError("answers", "must be a JSON object of set-up answers")
        known = {f.name for f in fields(cls)}
        unknown = sorted(k for k in data if k not in known)
        if unknown:
            raise ValidationErrors([ValidationError(str(k)[:40], "is not a set-up answer") for k in unknown])
        return cls(**{k: "" if v is None else str(v) for k, v in data.items()})

    def public(self) -> dict[str, str]:
        """The answers without a secret in them: what a draft may keep."""
        return {k: v for k, v in asdict(self).items() if k not in SECRETS}

    def with_hq(self, hq: HqStore) -> SetupAnswers:
        """These answers with the store's identity as HQ keeps it; HQ's time zone and
        currency win when HQ has them."""
        return replace(self, store_code=hq.code, store_name=hq.name, timezone=hq.timezone or self.timezone,
                       currency=hq.currency or self.currency)

    # --- checks -------------------------------------------------------------------------

    def validate(self, only: Iterable[str] | None = None, *, keyring_ok: bool | None = None) -> ValidationErrors:
        """Every answer that is not acceptable, each naming its field (empty ``errors``
        when all are). ``only``: check just these fields (one page of the wizard).
        ``keyring_ok``: whether this computer has a usable keyring (asked when None)."""
        wanted = set(only) if only is not None else None
        errors: list[ValidationError] = []

        def check(name: str, fn: Any) -> None:
            if wanted is not None and name not in wanted:
                return
            try:
                fn()
            except ValidationErrors as many:
                errors.extend(many.errors)
            except ValidationError as one:
                errors.append(one)

        check("language", lambda: _check_language(self.language))
        check("mode", lambda: _check_mode(self.mode))
        enrol = self.mode == "enrol"
        if not enrol:
            check("store_code", lambda: _check_store_code(self.store_code))
            check("store_name", lambda: normalize_name(self.store_name, field="store_name", max_len=120))
        if not enrol or self.timezone:
            check("timezone", lambda: _check_timezone(self.timezone))
        if not enrol or self.currency:
            check("currency", lambda: _check_currency(self.currency))
        check("country", lambda: _check_country(self.country))
        if enrol:
            check("hq_url", lambda: _check_url(self.hq_url))
            check("enrolment_code", lambda: _check_enrolment_code(self.enrolment_code))
            check("hq_ca_file", lambda: _check_ca_file(self.hq_ca_file))
        check("admin_name", lambda: normalize_name(self.admin_name, field="admin_name"))
        check("admin_number", lambda: _check_admin_number(self.admin_number))
        check("admin_password", lambda: _check_password(self.admin_password))
        check("admin_pin", lambda: _check_pin(self.admin_pin))
        check("key_mode", lambda: _check_key_mode(self.key_mode, keyring_ok))
        if self.key_mode == "passphrase":
            check("passphrase", lambda: _check_passphrase(self.passphrase))
        check("backup_folder", lambda: _check_folder_named(self.backup_folder))
        for name in ("receipt_printer", "label_printer"):
            value = getattr(self, name)
            check(name, lambda value=value, name=name: _check_printer(value, name))
        return ValidationErrors(errors)

    def check(self, only: Iterable[str] | None = None, *, keyring_ok: bool | None = None) -> None:
        """Raise the errors ``validate`` finds."""
        found = self.validate(only, keyring_ok=keyring_ok)
        if found.errors:
            raise found


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError("language", "is not a language Orchard speaks")


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValidationError("mode", "must be a new store or enrolment with HQ")


def _check_store_code(code: str) -> None:
    code = (code or "").strip()
    if not (2 <= len(code) <= 8 and code.isalnum() and code.isascii()):
        raise ValidationError("store_code", "must be 2 to 8 letters or digits")


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("timezone", "is not a known time zone") from None


def _check_country(code: str) -> None:
    code = (code or "").strip()
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise ValidationError("country", "must be a two-letter country code")


def _check_currency(code: str) -> None:
    from babel.numbers import is_currency
    if not (len(code) == 3 and code.isascii() and code.isupper() and is_currency(code)):
        raise ValidationError("currency", "is not a known currency code")


def _check_url(url: str) -> None:
    from core.sync.connection import InsecureHq, check_url
    try:
        check_url(url)
    except InsecureHq as exc:
        raise ValidationError("hq_url", exc.template, **exc.params) from None


def _check_enrolment_code(code: str) -> None:
    if len("".join(ch for ch in (code or "") if ch.isalnum())) != 16:
        raise ValidationError("enrolment_code", "must be the 16-character code HQ printed")


def _check_ca_file(path: str) -> None:
    if path and not Path(path).is_file():
        raise ValidationError("hq_ca_file", "there is no file here")


def _check_admin_number(number: str) -> None:
    if not (number.isascii() and number.isdigit() and 1 <= len(number) <= 6):
        raise ValidationError("admin_number", "must be 1 to 6 digits")


def _check_password(password: str) -> None:
    from core.staff import MIN_PASSWORD
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError("admin_password", "must be at least {n} characters", n=MIN_PASSWORD)


def _check_pin(pin: str) -> None:
    if pin and (not (pin.isascii() and pin.isdigit()) or not 4 <= len(pin) <= 8):
        raise ValidationError("admin_pin", "must be 4 to 8 digits")


def _check_key_mode(mode: str, keyring_ok: bool | None) -> None:
    if mode not in KEY_MODES:
        raise ValidationError("key_mode", "must be the keyring or a passphrase")
    if mode == "keyring":
        from core.vault import keyring_usable
        if not (keyring_usable() if keyring_ok is None else keyring_ok):
            raise ValidationError("key_mode", "this computer has no secure keyring: choose a passphrase")


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationError("passphrase", "must be at least {n} characters", n=MIN_PASSPHRASE)


def _check_folder_named(folder: str) -> None:
    if not folder.strip():
        raise ValidationError("backup_folder", "choose a folder for the backups")
    if not Path(folder).expanduser().is_absolute():
        raise ValidationError("backup_folder", "must be a full path to a folder")


def _check_printer(name: str, field: str) -> None:
    if len(name) > 200 or any(ord(ch) < 32 for ch in name):
        raise ValidationError(field, "is not a printer name")


def default_currency(country: str) -> str:
    """The currency a store in ``country`` most likely takes ("" when none is known)."""
    from datetime import date

    from babel.numbers import get_territory_currencies
    try:
        found = get_territory_currencies(country.upper(), date(2026, 1, 1))
    except Exception:  # noqa: BLE001 - babel raises several kinds for an unknown territory
        return ""
    return str(found[0]) if found else ""


def check_folder(folder: str | Path) -> Path:
    """Make the backup folder if it is not there and prove a file can be written in it
    (a read-only share or a full USB stick says so now, not at the first backup)."""
    _check_folder_named(str(folder))
    path = Path(folder).expanduser()
    probe = path / f".orchard-write-check-{uuid.uuid4().hex[:8]}"
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(probe, "wb") as fh:
            fh.write(b"orchard")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError:
        raise ValidationError("backup_folder", "this folder cannot be written to") from None
    return path


# --- the draft ------------------------------------------------------------------------------

def draft_path(db_path: Path) -> Path:
    return Path(db_path).parent / DRAFT_NAME


def save_draft(db_path: Path, answers: SetupAnswers, page: int) -> Path:
    """Keep the answers so far (never a secret) and the page reached."""
    from core.vault import atomic_write
    path = draft_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {"format": DRAFT_FORMAT, "page": int(page), "answers": answers.public()}
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return path


def load_draft(db_path: Path) -> tuple[SetupAnswers, int] | None:
    """The draft's answers and page, or None (no draft, or one this version cannot read)."""
    try:
        data = json.loads(draft_path(db_path).read_text("utf-8"))
        if data.get("format") != DRAFT_FORMAT:
            return None
        kept = {k: v for k, v in dict(data["answers"]).items() if k not in SECRETS}
        return SetupAnswers.from_dict(kept), int(data.get("page", 0))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OrchardError):
        return None


def clear_draft(db_path: Path) -> None:
    draft_path(db_path).unlink(missing_ok=True)


# --- HQ's side of an enrolment ------------------------------------------------------------

@dataclass(frozen=True)
class HqStore:
    """A store as HQ keeps it, read with its enrolment code."""

    code: str
    name: str
    timezone: str | None
    currency: str | None
    publisher: bool


def preview_enrolment(url: str, code: str, ca_file: str | None = None, *,
                      transport: httpx.BaseTransport | None = None) -> HqStore:
    """Which store an enrolment code is for, without using the code."""
    from core.sync.connection import _call, make_http
    _check_url(url)
    _check_enrolment_code(code)
    with make_http(url, ca_file or None, transport=transport) as http:
        answer = _call(http, "POST", "/v1/enrol/preview", json={"code": code.strip()})
    try:
        return HqStore(str(answer["store_code"]), str(answer["name"]), answer.get("timezone") or None,
                       answer.get("currency") or None, bool(answer.get("publisher")))
    except (KeyError, TypeError):
        from core.sync.connection import HqUnreachable
        raise HqUnreachable("HQ's answer was garbled; try again") from None


# --- making the store ---------------------------------------------------------------------

@dataclass
class SetupResult:
    db: StoreDatabase
    recovery_code: str
    store_code: str
    store_name: str
    created_at: datetime


def partial_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".partial")


def _files(db_path: Path) -> list[Path]:
    from core.vault import meta_path
    return [Path(str(db_path) + s) for s in ("", "-wal", "-shm", "-journal")] + [meta_path(db_path)]


def discard_partial(db_path: Path) -> None:
    """Remove a half-made store (``<db>.partial`` and its files) and its keyring entries."""
    from core.vault import Vault
    partial = partial_path(db_path)
    Vault(partial).forget()
    for f in _files(partial):
        f.unlink(missing_ok=True)


def create_store(db_path: Path | str, answers: SetupAnswers, *, now: datetime,
                 kdf: KdfParams | None = None, transport: httpx.BaseTransport | None = None,
                 progress: Any = None) -> SetupResult:
    """Make the store these answers describe at ``db_path``, whole or not at all.

    ``progress(step, total, what)`` (optional) hears each step. Returns the open database
    and the recovery key (shown once: it is kept nowhere), marked unconfirmed until
    :func:`recovery_key_stored`."""
    from core.db import StoreDatabase
    from core.vault import meta_exists, meta_path
    db_path = Path(db_path)
    say = progress or (lambda *a: None)
    answers.check()
    if db_path.exists():
        raise DatabaseExists("a database already exists at this location; it was left untouched")
    if meta_path(db_path).exists():
        raise meta_exists()
    effective, hq = answers, None
    if answers.mode == "enrol":
        say(0, STEPS, "hq")
        hq = preview_enrolment(answers.hq_url, answers.enrolment_code, answers.hq_ca_file, transport=transport)
        effective = apply_hq(answers, hq)
    store_id = _store_id(effective)
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    discard_partial(db_path)           # what a crash in an earlier try left
    partial = partial_path(db_path)
    say(1, STEPS, "database")
    passphrase = effective.passphrase if effective.key_mode == "passphrase" else None
    db = StoreDatabase.create(partial, passphrase=passphrase, kdf=kdf)
    enrolled: list[bool] = []
    drop_credential: Callable[[], None] | None = None
    from core.sync import credentials
    try:
        code = _build(db, effective, store_id, hq is not None, say, transport, enrolled)
        drop_credential = credentials.keyring_forgetter(db)     # usable once the file is closed
        db.close()
        say(5, STEPS, "finish")
        _move_into_place(partial, db_path)
    except BaseException as exc:
        _undo(db, db_path)
        if drop_credential is not None:
            drop_credential()
        if enrolled and isinstance(exc, Exception):
            raise EnrolmentLost("HQ accepted the enrolment code, but the set-up could not finish here and nothing "
                                "was kept: ask HQ for a new enrolment code for this store, then try again",
                                store_id=str(store_id)) from exc
        raise
    opened = StoreDatabase.open(db_path, passphrase=passphrase)
    say(STEPS, STEPS, "done")
    return SetupResult(opened, code, effective.store_code.strip().upper(), effective.store_name.strip(), now)


def recovery_key_stored(db: StoreDatabase) -> None:
    """The person setting up ticked "I have stored the recovery key" (the wizard's Finish):
    the store's key is no longer marked unconfirmed. Until then (the wizard closed on the
    key's page, ``orchard setup`` with only a sheet file), the admin's sign-in and
    Settings say the key was never confirmed and offer a new one."""
    from core.recovery import confirm_stored
    with db.session(write=True) as s:
        confirm_stored(s, None)


def _store_id(answers: SetupAnswers) -> uuid.UUID:
    """The new store's id: the one an unfinished enrolment gave HQ, or a new one."""
    from core.ids import uuid7
    if answers.store_id:
        try:
            return uuid.UUID(answers.store_id)
        except ValueError:
            raise ValidationError("store_id", "is not a store id") from None
    return uuid7()


def apply_hq(answers: SetupAnswers, hq: HqStore) -> SetupAnswers:
    """The answers with the store as HQ keeps it; ValidationErrors (naming ``timezone``,
    ``currency``) when HQ keeps none and the answers give none either."""
    answers = answers.with_hq(hq)
    errors = []
    if not answers.timezone:
        errors.append(ValidationError("timezone", "HQ keeps no time zone for this store: choose one"))
    if not answers.currency:
        errors.append(ValidationError("currency", "HQ keeps no currency for this store: choose one"))
    if errors:
        raise ValidationErrors(errors)
    answers.check(["store_code", "store_name", "timezone", "currency"])
    return answers


def _build(db: StoreDatabase, a: SetupAnswers, store_id: uuid.UUID, enrol_with_hq: bool,
           say: Any, transport: httpx.BaseTransport | None, enrolled: list[bool]) -> str:
    """Everything inside the new database; returns the recovery key."""
    from core import audit, staff
    from core.recovery import mark_unconfirmed, new_code
    from core.sync.apply import set_state
    say(2, STEPS, "store")
    _, _, admin = staff.bootstrap_store(
        db, code=a.store_code, name=a.store_name, timezone=a.timezone, country=a.country.strip().upper(),
        currency=a.currency, admin_name=a.admin_name, admin_password=a.admin_password,
        admin_pin=a.admin_pin or None, admin_number=a.admin_number, store_id=store_id)
    if enrol_with_hq:
        from core.sync.client import SyncClient, enrol
        say(3, STEPS, "enrol")
        enrol(db, admin, a.hq_url, a.enrolment_code, a.hq_ca_file or None, transport=transport)
        enrolled.append(True)
        with SyncClient(db, transport=transport) as client:
            client.pull()
    say(4, STEPS, "settings")
    with db.session(write=True) as s:
        for name, key in PRINTER_KEYS.items():
            set_state(s, key, getattr(a, name) or None)
        set_state(s, BACKUP_FOLDER_KEY, str(Path(a.backup_folder).expanduser()))
        mark_unconfirmed(s)            # until "I have stored the recovery key" (recovery_key_stored)
        audit.record(s, admin, "store.setup", "store", store_id,
                     detail=f"mode={a.mode} key={a.key_mode} language={a.language}")
    code = new_code()
    db.enable_recovery(code)           # the key sealed to it in the meta beside the file
    return code


def _undo(db: StoreDatabase, db_path: Path) -> None:
    """Close the half-made store, forget its HQ credential and key, remove its files."""
    from core.sync import credentials
    if not db.closed:
        try:
            credentials.forget(db)
        except Exception:  # noqa: BLE001 - the files go whatever the keyring says
            pass
    db.close()
    discard_partial(db_path)


def _move_into_place(partial: Path, db_path: Path) -> None:
    """The key information first, the database file last: the database's name appearing is
    the moment the store exists. A failure in between puts the key information back."""
    from core.vault import meta_exists, meta_path
    if db_path.exists():
        raise DatabaseExists("a database already exists at this location; it was left untouched")
    if meta_path(db_path).exists():
        raise meta_exists()
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("-wal", "-shm"):
            side = Path(str(partial) + suffix)
            if side.exists():
                os.rename(side, Path(str(db_path) + suffix))
                moved.append((side, Path(str(db_path) + suffix)))
        os.rename(meta_path(partial), meta_path(db_path))
        moved.append((meta_path(partial), meta_path(db_path)))
        os.rename(partial, db_path)
    except BaseException:
        for source, target in reversed(moved):
            os.rename(target, source)
        raise
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
