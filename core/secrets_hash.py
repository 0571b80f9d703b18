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
