"""Names for the core's codes (roles, statuses, grades, tiers...) in the GUI's language,
from ``core.terms``, the catalogue the printed documents read too."""

from core import terms
from desktop.qt import QLocale


def language() -> str:
    """The catalogue language of the GUI: ``install_language`` sets the default locale."""
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def label(code: object, kind: str | None = None) -> str:
    return terms.term(code, language(), kind)


def service(name: str, code: str | None = None) -> str:
    """A service type's name: a built-in one in the catalogue's words, one the store named as typed."""
    return terms.service_name(name, language(), code)
