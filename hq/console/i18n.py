"""English and Simplified Chinese for the console. The catalogue is the ``.po`` files under
``translations/<lang>/LC_MESSAGES/`` (``console.po`` and one per later area of the console) read with Babel when HQ starts (no compile step); English is the source
text itself. Templates use ``_()`` / ``{% trans %}`` (jinja2.ext.i18n, new style: values are
escaped), Python code marks its messages with :func:`N_` and a page translates them.

``tests/hq_console/test_i18n.py`` extracts every message from the templates and this
package and fails when the zh_CN catalogue lacks one."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

LANGS = {"en": "English", "zh_CN": "中文"}
DEFAULT = "en"
COOKIE = "hq_lang"
DOMAIN = "console"
TRANSLATIONS = Path(__file__).parent / "translations"

_active: ContextVar[str] = ContextVar("hq_console_lang", default=DEFAULT)
_catalogues: dict[str, dict[str, str]] = {}
_plurals: dict[str, dict[str, tuple[str, ...]]] = {}


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


def load() -> None:
    from babel.messages.pofile import read_po
    for lang in LANGS:
        table: dict[str, str] = {}
        plurals: dict[str, tuple[str, ...]] = {}
        # one catalogue per area of the console (console.po, then e.g. pricebooks.po), merged
        folder = TRANSLATIONS / lang / "LC_MESSAGES"
        for path in sorted(folder.glob("*.po"), key=lambda p: (p.stem != DOMAIN, p.name)):
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang)
            for m in catalog:
                if not m.id or m.fuzzy:
                    continue
                if isinstance(m.id, str):
                    if m.string:
                        table[m.id] = str(m.string)
                elif all(m.string):
                    plurals[m.id[0]] = tuple(m.string)
        _catalogues[lang] = table
        _plurals[lang] = plurals


def catalogue(lang: str) -> dict[str, str]:
    if not _catalogues:
        load()
    return _catalogues.get(lang, {})


def gettext(message: str) -> str:
    return catalogue(_active.get()).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    catalogue(DEFAULT)
    forms = _plurals.get(_active.get(), {}).get(singular)
    if forms:
        return forms[0] if len(forms) == 1 or n == 1 else forms[1]   # zh_CN: one form; en: two
    return singular if n == 1 else plural


def translate(lang: str, message: str, **params: object) -> str:
    text = catalogue(lang).get(message, message)
    return text % params if params else text


class active:
    """``with active(lang):`` renders in that language (a context variable, so threads
    rendering at once do not mix)."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else DEFAULT

    def __enter__(self) -> str:
        self._token = _active.set(self.lang)
        return self.lang

    def __exit__(self, *exc: object) -> None:
        _active.reset(self._token)


def choose(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language, else the browser's first choice we have, else English."""
    if cookie in LANGS:
        return str(cookie)
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT


def html_lang(lang: str) -> str:
    return "zh-CN" if lang == "zh_CN" else "en"
