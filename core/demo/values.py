"""Random but valid values for the demo: names made searchable, phones, IMEIs, serials, member numbers."""

from __future__ import annotations

import functools
import random
import unicodedata
from datetime import date
from typing import Callable

from core.demo.data import (
    _CN_MOBILE_PREFIXES, _UK_MOBILE, _US_AREAS, MEMBER_PREFIX, STORE_COUNTRY, _Model,
)
from core.errors import ValidationError
from core.validation import luhn_check_digit, normalize_phone


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _fallback_search_names(given_name: str, family_name: str) -> tuple[str, str]:
    """Stand-in for ``core.customers.search_names`` while that module is not there yet."""
    from pypinyin import Style, lazy_pinyin
    syllables = [p for p in lazy_pinyin(family_name + given_name, style=Style.NORMAL, errors="ignore") if p]
    return " ".join(syllables), "".join(p[0] for p in syllables)


def _name_searcher() -> Callable[[str, str], tuple[str, str]]:
    try:
        from core.customers import search_names
    except ImportError as exc:
        if exc.name != "core.customers":     # a broken dependency of core.customers is a real error
            raise
        search_names = _fallback_search_names
    return functools.lru_cache(maxsize=None)(search_names)


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _phone(rng: random.Random, kind: str) -> str:
    if kind == "CN":
        return f"+86{rng.choice(_CN_MOBILE_PREFIXES)}{rng.randrange(10 ** 8):08d}"
    if kind == "US":
        return f"+1{rng.choice(_US_AREAS)}{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(2, 9)}" \
               f"{rng.randrange(10 ** 4):04d}"
    return f"+44{rng.choice(_UK_MOBILE)}{rng.randrange(10 ** 6):06d}"


def _valid_phone(rng: random.Random, kind: str, taken: set[str]) -> str:
    while True:
        candidate = _phone(rng, kind)
        if candidate in taken:
            continue
        try:
            number = normalize_phone(candidate, region=STORE_COUNTRY)
        except ValidationError:        # an unlucky random number: draw again
            continue
        taken.add(number)
        return number


def _luhn(body: str) -> str:
    return body + str(luhn_check_digit(body))


def _imei(rng: random.Random, model: _Model, taken: set[str]) -> str:
    while True:
        imei = _luhn(model.tac + f"{rng.randrange(10 ** 6):06d}")
        if imei not in taken:
            taken.add(imei)
            return imei


_APPLE_SERIAL = "CDFGHJKLMNPQRTVWXY0123456789"
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _serial(rng: random.Random, model: _Model) -> str:
    if model.brand == "apple":
        length = 10 if model.release.year >= 2021 else 12
        return "".join(rng.choice(_APPLE_SERIAL) for _ in range(length))
    if model.brand == "samsung":
        return "R5C" + "".join(rng.choice(_ALNUM) for _ in range(8))
    if model.brand == "huawei":
        return "".join(rng.choice(_ALNUM) for _ in range(16))
    return "".join(rng.choice(_ALNUM) for _ in range(14))


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:                    # 29 February
        return d.replace(year=d.year + years, day=28)


def _member_number(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = _luhn(MEMBER_PREFIX + f"{rng.randrange(10 ** 8):08d}")
        if number not in taken:
            taken.add(number)
            return number
