"""Password and PIN hashes: Argon2id with a per-hash salt, parameters in the PHC string,
so they can be raised later without breaking old hashes."""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

# RFC 9106 second recommendation, lighter on memory: a counter PC signs in many times a day.
MEMORY_KIB = 19 * 1024
ITERATIONS = 2
LANES = 1


def hash_secret(secret: str) -> str:
    kdf = Argon2id(salt=secrets.token_bytes(16), length=32, iterations=ITERATIONS,
                   lanes=LANES, memory_cost=MEMORY_KIB)
    return kdf.derive_phc_encoded(secret.encode("utf-8"))


def verify_secret(secret: str, encoded: str | None) -> bool:
    if not encoded:
        return False
    try:
        Argon2id.verify_phc_encoded(secret.encode("utf-8"), encoded)
        return True
    except (InvalidKey, ValueError):
        return False


# Password hashes roam: HQ keeps each staff row (a re-enrolled store gets its staff back
# from there), so a password hash there must cost an attacker what the store passphrase
# does: the vault's Argon2id cost (core.vault.KdfParams). PIN hashes never leave the store
# (core.models.Staff.__sync_exclude__) and keep the lighter cost above.
def _vault_cost() -> tuple[int, int, int]:
    from core.vault import KdfParams
    p = KdfParams()
    return p.memory_kib, p.iterations, p.lanes


def hash_password(secret: str) -> str:
    memory, iterations, lanes = _vault_cost()
    kdf = Argon2id(salt=secrets.token_bytes(16), length=32, iterations=iterations,
                   lanes=lanes, memory_cost=memory)
    return kdf.derive_phc_encoded(secret.encode("utf-8"))


def password_cost_ok(encoded: str | None) -> bool:
    """Whether a password hash has at least the vault's cost (older ones are re-hashed at
    the next password sign-in)."""
    try:
        params = dict(kv.split("=", 1) for kv in (encoded or "").split("$")[3].split(","))
        memory, iterations, lanes = _vault_cost()
        return int(params["m"]) >= memory and int(params["t"]) >= iterations and int(params["p"]) >= lanes
    except (IndexError, KeyError, ValueError):
        return False
