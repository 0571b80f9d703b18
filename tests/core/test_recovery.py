"""The recovery key (issue 24): a store whose key left the OS keyring opens again with the
code printed at set-up, after key rotations too; nothing is ever created over it; a typo
is reported as a typo (naming the group), another store's code as a wrong key."""

from __future__ import annotations

import hashlib
import random
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core import recovery, staff
from core.db import StoreDatabase, open_or_create
from core.errors import KeyringLost, ValidationError, WrongKey
from core.models import AuditEvent
from core.recovery import codes
from core.vault import KEYRING_SERVICE, DbMeta, Vault
from reports import recovery_sheet
from tests.conftest import FAST_KDF

CODE_ON_PAPER = re.compile(r"\b[0-9A-Z]{5}(?:-[0-9A-Z]{5}){5}\b")
MADE = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _files(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in the folder: its content's hash and its modification time."""
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def _keyring_store(db: StoreDatabase, memory_keyring) -> StoreDatabase:
    """The template's passphrase store turned into a keyring-kept one (a real rotation),
    with a store and its admin, and a recovery key whose sheet is printed."""
    staff.bootstrap_store(db, code="SH01", name="Orchard Test Store", timezone="Asia/Shanghai", country="CN",
                          admin_name="Ada Admin", admin_password="admin-pass-1", admin_pin="1111")
    db.rekey()                       # a random key, kept in the (memory) keyring
    assert db.path.with_name("store.db.meta.json").exists()
    assert Vault(db.path).meta.key_source == "keyring"
    return db


def _print_sheet(db: StoreDatabase, folder: Path, code: str, lang: str = "en") -> Path:
    return recovery_sheet.render(folder / f"recovery-{lang}.pdf", store_name="Orchard Test Store",
                                 store_code="SH01", code=code, created_at=MADE, lang=lang)


def _code_from_sheet(pdf: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    found = set(CODE_ON_PAPER.findall(text))
    assert len(found) == 1, text
    return found.pop()


def _lose_keyring(memory_keyring, db_id: str) -> None:
    lost = [k for k in memory_keyring.store if k[0] == KEYRING_SERVICE and k[1].startswith(f"store-db:{db_id}")]
    assert lost, "the store's key was in the keyring"
    for k in lost:
        del memory_keyring.store[k]


def _store_name(db: StoreDatabase) -> str:
    with db.session() as s:
        info = staff.current_store(s)
    assert info is not None
    return info.name


def test_a_lost_keyring_entry_is_recovered_with_the_code_read_back_from_the_printed_sheet(
        db, memory_keyring, tmp_path):
    db = _keyring_store(db, memory_keyring)
    code = recovery.new_code()
    db.enable_recovery(code)
    paper = tmp_path / "paper"
    paper.mkdir()
    sheet = _print_sheet(db, paper, code)
    assert sheet.stat().st_mode & 0o777 == 0o600      # the sheet holds a secret
    db_id, path = db.db_id, db.path
    db.close()
    assert code not in path.with_name("store.db.meta.json").read_text()    # only the public half is kept

    _lose_keyring(memory_keyring, db_id)
    before = _files(path.parent)
    with pytest.raises(KeyringLost) as lost:
        StoreDatabase.open(path)
    assert "recovery key" in str(lost.value)
    with pytest.raises(KeyringLost):
        open_or_create(path)               # the app's start: never a new store over the old one
    assert _files(path.parent) == before   # nothing created, nothing touched

    typed = _code_from_sheet(sheet).lower().replace("-", " ")      # as someone types it from the paper
    recovered = StoreDatabase.recover(path, code=typed)
    try:
        assert _store_name(recovered) == "Orchard Test Store"
        assert memory_keyring.store.get((KEYRING_SERVICE, f"store-db:{db_id}"))      # the key is back
        with recovered.session() as s:
            events = s.scalars(select(AuditEvent).where(AuditEvent.action == "vault.recovered")).all()
        assert [e.detail for e in events] == ["recovery_key; key in keyring"]
        assert codes.normalise(code).replace("-", "") not in "".join(e.detail for e in events)
    finally:
        recovered.close()
    again = StoreDatabase.open(path)        # the keyring route works as before
    assert _store_name(again) == "Orchard Test Store"
    again.close()


def test_the_same_code_recovers_after_key_rotations_without_being_asked_for(db, memory_keyring, tmp_path):
    db = _keyring_store(db, memory_keyring)
    code = recovery.new_code()
    db.enable_recovery(code)
    public = DbMeta.load(db.path).recovery["public"]
    db.rekey()                                       # keyring -> keyring
    db.rekey("a new store passphrase", FAST_KDF)     # keyring -> passphrase
    db.rekey()                                       # and back to the keyring
    meta = DbMeta.load(db.path)
    assert meta.recovery["public"] == public and meta.key_source == "keyring"
    db_id, path = db.db_id, db.path
    db.close()
    _lose_keyring(memory_keyring, db_id)
    with pytest.raises(KeyringLost):
        StoreDatabase.open(path)
    recovered = StoreDatabase.recover(path, code=code)
    assert _store_name(recovered) == "Orchard Test Store"
    recovered.close()


def test_a_rotation_cut_short_after_the_rekey_is_recovered_with_the_code(db, memory_keyring, monkeypatch):
    """The crash point where the file has the new key but the meta still calls it pending:
    the code opens it through the pending key's sealed copy, and the rotation completes."""
    db = _keyring_store(db, memory_keyring)
    code = recovery.new_code()
    db.enable_recovery(code)
    db_id, path = db.db_id, db.path

    def crash(self, key):
        raise RuntimeError("power cut")
    with monkeypatch.context() as m:
        m.setattr(Vault, "finish_rotation", crash)
        with pytest.raises(RuntimeError):
            db.rekey()
    db.close()
    assert DbMeta.load(path).pending["recovery_sealed"]
    _lose_keyring(memory_keyring, db_id)
    with pytest.raises(KeyringLost):
        StoreDatabase.open(path)
    recovered = StoreDatabase.recover(path, code=code)
    assert _store_name(recovered) == "Orchard Test Store"
    recovered.close()
    meta = DbMeta.load(path)
    assert meta.pending is None and meta.recovery["sealed"]
    StoreDatabase.open(path).close()


def test_a_wrong_or_mistyped_code_is_refused_and_the_file_left_alone(db, memory_keyring):
    db = _keyring_store(db, memory_keyring)
    code = recovery.new_code()
    db.enable_recovery(code)
    db_id, path = db.db_id, db.path
    db.close()
    _lose_keyring(memory_keyring, db_id)
    before = _files(path.parent)
    with pytest.raises(WrongKey) as wrong:
        StoreDatabase.recover(path, code=recovery.new_code())          # another store's key
    assert str(wrong.value) == "this recovery key does not open this store database"
    compact = list(code.replace("-", ""))
    compact[12] = "Z" if compact[12] != "Z" else "Y"                     # one slip in group 3
    with pytest.raises(ValidationError) as typo:
        StoreDatabase.recover(path, code="".join(compact))
    assert (typo.value.field, typo.value.reason) == ("recovery_code", "this is not a recovery key: check group 3")
    with pytest.raises(ValidationError) as short:
        StoreDatabase.recover(path, code=code[:-3])
    assert short.value.reason == "a recovery key has 6 groups of 5 characters"
    assert _files(path.parent) == before
    assert (KEYRING_SERVICE, f"store-db:{db_id}") not in memory_keyring.store


def test_the_passphrase_route_still_works_and_the_code_can_set_a_new_passphrase(db, fail_keyring):
    """A passphrase store (no keyring on this machine) with a recovery key: the passphrase
    opens it as before; a forgotten passphrase is replaced with the code's help."""
    code = recovery.new_code()
    db.enable_recovery(code)
    path = db.path
    db.close()
    StoreDatabase.open(path, passphrase="test-passphrase").close()
    StoreDatabase.recover(path, passphrase="test-passphrase").close()
    renewed = StoreDatabase.recover(path, code=code, passphrase="remembered at last", store_in_keyring=False,
                                    kdf=FAST_KDF)
    renewed.close()
    with pytest.raises(WrongKey):
        StoreDatabase.open(path, passphrase="test-passphrase")
    StoreDatabase.open(path, passphrase="remembered at last").close()
    StoreDatabase.recover(path, code=code, store_in_keyring=False).close()    # the code still opens it
    assert DbMeta.load(path).key_source == "passphrase"


def test_a_new_recovery_key_replaces_the_old_one(db, store_setup):
    _, _, admin = store_setup
    first = recovery.new_code()
    db.enable_recovery(first)
    second = recovery.new_code()
    recovery.set_key(db, admin, second)
    assert second != first
    with pytest.raises(WrongKey):
        recovery.unseal(db.path, first)
    assert recovery.unseal(db.path, second) == db._key


# --- the code's format ----------------------------------------------------------------------------

def test_a_code_is_six_groups_of_five_and_typing_is_forgiving():
    code = recovery.new_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}", code)
    assert recovery.normalise(f"  {code.lower().replace('-', ' ')} ") == code
    looks = code.replace("0", "o").replace("1", "l")
    assert recovery.normalise(looks) == code
    assert len({recovery.new_code() for _ in range(200)}) == 200


def test_every_single_slip_and_swap_names_its_group():
    rng = random.Random(24)
    for _ in range(300):
        code = list(recovery.new_code().replace("-", ""))
        i = rng.randrange(codes.LENGTH)
        slipped = code.copy()
        slipped[i] = rng.choice([c for c in codes.ALPHABET if c != code[i]])
        with pytest.raises(ValidationError) as typo:
            recovery.normalise("".join(slipped))
        assert typo.value.params == {"n": i // 5 + 1}
        j = rng.randrange(codes.LENGTH - 1)
        if code[j] != code[j + 1]:
            swapped = code.copy()
            swapped[j], swapped[j + 1] = swapped[j + 1], swapped[j]
            with pytest.raises(ValidationError) as swap:
                recovery.normalise("".join(swapped))
            groups = sorted({j // 5 + 1, (j + 1) // 5 + 1})
            assert list(swap.value.params.values()) == groups


def test_a_character_outside_the_alphabet_names_its_group():
    code = recovery.new_code()
    with pytest.raises(ValidationError) as bad:
        recovery.normalise(code[:14] + "U" + code[15:])       # U is not in Crockford base32
    assert bad.value.reason == "this is not a recovery key: check group 3"


def test_a_box_sealed_for_one_purpose_does_not_open_as_another():
    code = recovery.new_code()
    public = recovery.sealing.public_key(code)
    box = recovery.seal(public, b"backup key bytes", "backup-key")
    assert recovery.open_sealed(code, box, "backup-key") == b"backup key bytes"
    with pytest.raises(recovery.SealError):
        recovery.open_sealed(code, box, "database-key")
    with pytest.raises(recovery.SealError):
        recovery.open_sealed(recovery.new_code(), box, "backup-key")


def test_the_sheet_in_chinese_carries_the_same_code(db, tmp_path):
    code = recovery.new_code()
    sheet = _print_sheet(db, tmp_path, code, lang="zh_CN")
    text = "\n".join(p.extract_text() for p in PdfReader(sheet).pages)
    assert _code_from_sheet(sheet) == code and "恢复密钥" in text and len(PdfReader(sheet).pages) == 1


def test_the_rotation_record_names_when_who_and_the_key_check(tmp_path):
    pdf = recovery_sheet.render_rotation_record(tmp_path / "rotation.pdf", store_name="Orchard Test Store",
                                                when=MADE, who="Ada Admin", key_check="0123456789abcdef" * 4)
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Database key changed" in text and "Ada Admin" in text and "Mar 2, 2026" in text
    assert "0123 4567 89ab cdef" in text
