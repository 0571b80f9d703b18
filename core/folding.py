"""The one normalisation of search text, for the keys in the index and for the query alike.

``fold("José Müller") == fold("jose muller") == fold("JOSE\\u0301 MÜLLER")`` and
``fold("張偉") == fold("张伟")``. Steps, each per character so that the key of a prefix
is a prefix of the key (the lookup is a prefix range scan):

1. NFC, so a decomposed accent typed or pasted counts as the composed one;
2. case folding (``casefold``: ß -> ss, final sigma), again after step 3;
3. compatibility decomposition (NFKD: full-width Ｊｏｓｅ -> jose, ligatures) and the
   accents dropped: marks of the combining-diacritics blocks only, so the vowel signs
   of Indic or Thai script, which spell the word, stay; a few letters that carry their
   "accent" without decomposing (ø, ł, đ, æ ...) are written as their base letters;
4. Traditional Chinese characters written as Simplified ones (OpenCC's character table,
   the first Simplified form of each), so either script finds the other.

Text that cannot be stored (a lone surrogate) folds to ``""``. The store database
indexes names through this function (``install`` registers it on every connection as
``orchard_fold``, migration 0014 builds the indexes), so the keys are never stored
by hand and cannot drift from the code: a change to ``fold`` needs a migration that
runs ``REINDEX`` on those indexes, as 0014 does.

Pure: no Qt, no database besides registering the function.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources
from typing import Any

SQL_FUNCTION = "orchard_fold"

# the combining-diacritics blocks: what "accents" are for Latin, Greek and Cyrillic letters
_ACCENT_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
# letters whose diacritic is part of the letter itself (no decomposition), as staff type them
_BASE_LETTERS = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "æ": "ae",
                 "œ": "oe", "þ": "th", "ð": "d"}


@functools.lru_cache(maxsize=1)
def _accents() -> dict[int, None]:
    """A translate table that drops the accents (C speed: the database folds every row a
    substring search reads)."""
    return {code: None for lo, hi in _ACCENT_BLOCKS for code in range(lo, hi + 1)}


@functools.lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """One translate table: the base letters above and OpenCC's Traditional -> Simplified
    characters (read once, on the first name folded, not at start-up)."""
    table = {ord(k): v for k, v in _BASE_LETTERS.items()}
    text = (resources.files("opencc") / "dictionary" / "TSCharacters.txt").read_text("utf-8")
    for line in text.splitlines():
        trad, _, simp = line.partition("\t")
        if len(trad) == 1 and simp:
            table[ord(trad)] = simp.split(" ")[0]
    # a few conversions lead to a character that converts again (薴 -> 苧 -> 苎): map each one
    # to where its chain ends, so folding a key again leaves it as it is
    for code, value in table.items():
        for _ in range(4):
            nxt = table.get(ord(value)) if len(value) == 1 else None
            if nxt is None or nxt == value:
                break
            value = nxt
        table[code] = value
    return table


def fold(text: object) -> str:
    """The search key of ``text`` (see the module's steps); ``""`` for anything that is not
    text or cannot be stored. Never raises."""
    if not isinstance(text, str) or not text:
        return ""
    if text.isascii():
        # most names at a counter: every step above is lower() for ASCII (no NUL in a name,
        # but a NUL is not storable text either way)
        return "" if "\x00" in text else text.lower()
    if not storable(text):
        return ""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).casefold()).casefold()
    s = s.translate(_accents())
    # composed again: Hangul syllables and kana with their voicing marks read as typed
    return unicodedata.normalize("NFC", s).translate(_table())


def storable(text: str) -> bool:
    """Whether ``text`` can be stored and compared as it is: no lone surrogates, no NUL."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _sql_fold(value: Any) -> Any:
    # a deterministic SQL function must never fail: an exception would refuse the write
    try:
        return fold(value) if isinstance(value, str) else value
    except Exception:  # noqa: BLE001 - see above; fold itself does not raise
        return ""


def install(dbapi_connection: Any) -> None:
    """Register ``orchard_fold(text)`` on a (SQLCipher/SQLite) DB-API connection. Every
    connection to a store database needs it: the name indexes are built from it."""
    dbapi_connection.create_function(SQL_FUNCTION, 1, _sql_fold, deterministic=True)
