"""The recovery key as people write it: 30 Crockford base32 characters in 6 groups of 5.

``7K3QF-9M2XA-...``: 26 random characters (130 bits) and 4 check characters, a
Reed-Solomon code over GF(32) (one field element per character, 30 of them, 4 of them
parity). Four check characters catch any mistake in up to four characters, and for one
or two wrong characters they say where: a typo is reported as a typo in group *n*, not
as "wrong key". No Qt, no database here.

Typing is forgiving: case, spaces and dashes do not matter, and the letters Crockford
base32 leaves out read as the digits they look like (O as 0, I and L as 1).
"""

from __future__ import annotations

import secrets

from core.errors import ValidationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"       # Crockford base32: no I, L, O, U
GROUPS = 6
GROUP_SIZE = 5
LENGTH = GROUPS * GROUP_SIZE                        # 30 symbols
CHECK = 4                                           # Reed-Solomon parity symbols
DATA = LENGTH - CHECK                               # 26 random symbols: 130 bits
FIELD = "recovery_code"

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = frozenset(" -\t\n\r\u00a0\u2010\u2011\u2012\u2013\u2014\u2212_.")

# --- GF(32), primitive polynomial x^5 + x^2 + 1; alpha = 2 --------------------------------------
_EXP = [0] * 62
_LOG = [0] * 32
_x = 1
for _i in range(31):
    _EXP[_i] = _EXP[_i + 31] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x20:
        _x ^= 0x25


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _div(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError
    return 0 if a == 0 else _EXP[(_LOG[a] - _LOG[b]) % 31]


def _pow_alpha(n: int) -> int:
    return _EXP[n % 31]


def _generator() -> list[int]:
    """g(x) = (x - a^1)(x - a^2)(x - a^3)(x - a^4), highest power first."""
    g = [1]
    for j in range(1, CHECK + 1):
        root = _pow_alpha(j)
        nxt = g + [0]
        for k, coef in enumerate(g):
            nxt[k + 1] ^= _mul(coef, root)
        g = nxt
    return g


_GEN = _generator()


def _parity(data: list[int]) -> list[int]:
    """The remainder of data(x) * x^4 divided by g(x): the check symbols."""
    rem = list(data) + [0] * CHECK
    for i in range(len(data)):
        coef = rem[i]
        if coef:
            for k in range(1, len(_GEN)):
                rem[i + k] ^= _mul(_GEN[k], coef)
    return rem[-CHECK:]


def _syndromes(symbols: list[int]) -> list[int]:
    """S_j = c(a^j) for j = 1..4, symbol i being the coefficient of x^(29 - i)."""
    out = []
    for j in range(1, CHECK + 1):
        x = _pow_alpha(j)
        acc = 0
        for s in symbols:
            acc = _mul(acc, x) ^ s
        out.append(acc)
    return out


def _power_to_index(power: int) -> int:
    return LENGTH - 1 - power


def _locate(s: list[int]) -> list[int] | None:
    """Indexes (0-based, left to right) of one or two wrong symbols that explain the
    syndromes, or None when no such pattern does (three or more mistakes)."""
    s1, s2, s3, s4 = s
    # one error at power p with value e: S_j = e * X^j, X = a^p
    if s1 and s2:
        x = _div(s2, s1)
        if _mul(s2, x) == s3 and _mul(s3, x) == s4:
            p = _LOG[x]
            if p < LENGTH:
                return [_power_to_index(p)]
    # two errors: Peterson's locator from Newton's identities (in GF(2^m) minus is plus)
    det = _mul(s2, s2) ^ _mul(s1, s3)
    if det == 0:
        return None
    l1 = _div(_mul(s3, s2) ^ _mul(s1, s4), det)
    l2 = _div(_mul(s2, s4) ^ _mul(s3, s3), det)
    found = []
    for p in range(LENGTH):
        inv = _pow_alpha(-p)
        if 1 ^ _mul(l1, inv) ^ _mul(l2, _mul(inv, inv)) == 0:
            found.append(p)
    if len(found) != 2:
        return None
    x1, x2 = _pow_alpha(found[0]), _pow_alpha(found[1])
    # the error values must also explain S1 and S2 (and, with the locator, S3 and S4)
    den = _mul(x1, _mul(x2, x2)) ^ _mul(x2, _mul(x1, x1))
    if den == 0:
        return None
    y1 = _div(_mul(s1, _mul(x2, x2)) ^ _mul(s2, x2), den)
    y2 = _div(_mul(s1, _mul(x1, x1)) ^ _mul(s2, x1), den)
    if not y1 or not y2:
        return None
    return sorted(_power_to_index(p) for p in found)


# --- the code ------------------------------------------------------------------------------------

def _format(symbols: list[int]) -> str:
    text = "".join(ALPHABET[v] for v in symbols)
    return "-".join(text[i:i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def new_code() -> str:
    """A fresh recovery key: 130 random bits and 4 check characters, in 6 groups of 5."""
    data = [secrets.randbelow(32) for _ in range(DATA)]
    return _format(data + _parity(data))


def _group(index: int) -> int:
    return index // GROUP_SIZE + 1


def _symbols(text: str, field: str) -> list[int]:
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(field, "enter the recovery key")
    if len(text) > 200:
        raise ValidationError(field, "a recovery key has {groups} groups of {size} characters",
                              groups=GROUPS, size=GROUP_SIZE)
    compact = "".join(ch for ch in text.upper() if ch not in _SEPARATORS).translate(_LOOKALIKE)
    values: list[int] = []
    for i, ch in enumerate(compact):
        v = _VALUE.get(ch)
        if v is None:
            if i < LENGTH:
                raise ValidationError(field, "this is not a recovery key: check group {n}", n=_group(i))
            break
        values.append(v)
    if len(compact) != LENGTH:
        raise ValidationError(field, "a recovery key has {groups} groups of {size} characters",
                              groups=GROUPS, size=GROUP_SIZE)
    return values


def normalise(text: str, field: str = FIELD) -> str:
    """The code in its canonical form (``XXXXX-XXXXX-...``, upper case), or
    ValidationError(field, ...) naming the group with the typo (the reason never repeats
    what was typed)."""
    values = _symbols(text, field)
    syn = _syndromes(values)
    if any(syn):
        where = _locate(syn)
        if where is None:
            raise ValidationError(field, "this is not a recovery key: check every group")
        groups = sorted({_group(i) for i in where})
        if len(groups) == 1:
            raise ValidationError(field, "this is not a recovery key: check group {n}", n=groups[0])
        raise ValidationError(field, "this is not a recovery key: check groups {a} and {b}",
                              a=groups[0], b=groups[1])
    return _format(values)


def canonical_bytes(code: str) -> bytes:
    """What the key derivation reads: the normalised code without dashes, ASCII."""
    return normalise(code).replace("-", "").encode("ascii")


__all__ = ["ALPHABET", "FIELD", "GROUPS", "GROUP_SIZE", "LENGTH", "canonical_bytes", "new_code", "normalise"]
