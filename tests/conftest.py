import os
import shutil
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.vault import KdfParams  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402

# Cheap Argon2id for tests that derive many keys; the cost parameters are stored in
# the metadata, so the code path is the one production uses.
FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def fail_keyring():
    from keyring.backends.fail import Keyring as FailKeyring
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory):
    """One migrated empty store database, built once; tests get a copy (fast)."""
    from core.db import StoreDatabase
    folder = tmp_path_factory.mktemp("template")
    db = StoreDatabase.create(folder / "store.db", passphrase="test-passphrase", kdf=FAST_KDF)
    db.engine.dispose()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return folder


@pytest.fixture
def db(_template_db, tmp_path):
    from core.db import StoreDatabase
    for f in _template_db.iterdir():
        if f.name.endswith((".db", ".json")):
            shutil.copy2(f, tmp_path / f.name)
    database = StoreDatabase.open(tmp_path / "store.db", passphrase="test-passphrase")
    yield database
    database.close()


@pytest.fixture
def store_setup(db):
    """A store with one staff member of every role; returns (db, store_id, actors by role)."""
    from core import staff
    from core.demo import STORE_TZ
    return staff.bootstrap_store(db, code="SH01", name="Orchard Test Store", timezone=STORE_TZ,
                                 country="CN", admin_name="Ada Admin", admin_password="admin-pass-1",
                                 admin_pin="1111")


@pytest.fixture
def still_clock():
    """The clock stands still at the moment the test starts (the machine's, or the one the
    date matrix fakes): what a test builds for "today" and what it then checks agree, even
    across midnight."""
    from core import clock
    with clock.pinned(clock.now().replace(microsecond=0)) as fixed:
        yield fixed


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The .qm files are built at set-up (scripts/dev.sh); build them here too when a test
    run starts without it, so the Chinese UI is tested against the current .ts."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    for ts in (root / "resources" / "translations").glob("*.ts"):
        qm = ts.with_suffix(".qm")
        if lrelease.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
            subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
