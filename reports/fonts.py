"""The fonts every document uses, registered once per process.

Latin text is set in DejaVu Sans; Chinese in a TrueType CJK font found on the machine
(the set-up installs ``fonts-wqy-zenhei``; ``fonts-droid-fallback`` works too, and
``ORCHARD_CJK_FONT=/path/font.ttf[:index]`` names another).  ReportLab embeds a subset
of both in each PDF.  It cannot use the OpenType/CFF Noto CJK fonts, and its built-in
STSong-Light is not embedded (a printer or viewer without it shows boxes), so neither
is a fallback.  Without a CJK font the documents still render, Chinese shows as empty
boxes, and ``status()`` says so (the first render logs a warning once).

A character the Latin font lacks is drawn with the CJK font (``runs`` splits a string
into such runs); ReportLab itself has no per-glyph fallback.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger("orchard.reports")

LATIN = "OrchardSans"
LATIN_BOLD = "OrchardSans-Bold"
CJK = "OrchardCJK"

CJK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallback.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)
LATIN_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
)


@dataclass(frozen=True)
class FontSet:
    latin: str
    latin_bold: str
    cjk: str | None
    latin_path: str | None
    cjk_path: str | None
    _latin_chars: frozenset[int]
    _cjk_chars: frozenset[int]

    def latin_has(self, ch: str) -> bool:
        o = ord(ch)
        return o in self._latin_chars if self._latin_chars else o < 256

    def cjk_has(self, ch: str) -> bool:
        return ord(ch) in self._cjk_chars

    def font_for(self, ch: str) -> str:
        if self.latin_has(ch) or ch in " \n\t" or self.cjk is None or not self.cjk_has(ch):
            return self.latin
        return self.cjk


_lock = threading.Lock()
_fonts: FontSet | None = None
_warned = False


def _cjk_candidates() -> list[tuple[str, int]]:
    out = []
    env = os.environ.get("ORCHARD_CJK_FONT")
    if env:
        path, _, index = env.partition(":") if not os.path.exists(env) else (env, "", "")
        out.append((path, int(index or 0)))
    return out + list(CJK_CANDIDATES)


def _load() -> FontSet:
    latin = latin_bold = None
    latin_path = None
    latin_chars: frozenset[int] = frozenset()
    for regular, bold in LATIN_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            r = TTFont(LATIN, regular)
            b = TTFont(LATIN_BOLD, bold)
            pdfmetrics.registerFont(r)
            pdfmetrics.registerFont(b)
            latin, latin_bold, latin_path = LATIN, LATIN_BOLD, regular
            latin_chars = frozenset(r.face.charToGlyph)
            break
    cjk = cjk_path = None
    cjk_chars: frozenset[int] = frozenset()
    for path, index in _cjk_candidates():
        if not Path(path).exists():
            continue
        try:
            f = TTFont(CJK, path, subfontIndex=index)
        except Exception as exc:  # noqa: BLE001 - a CFF/OpenType font ReportLab cannot embed: try the next
            log.info("skipping CJK font %s: %s", path, type(exc).__name__)
            continue
        pdfmetrics.registerFont(f)
        cjk, cjk_path = CJK, path
        cjk_chars = frozenset(f.face.charToGlyph)
        break
    if cjk is not None:
        # no bold face: <b> inside Chinese text keeps the regular weight
        addMapping(CJK, 0, 0, CJK)
        addMapping(CJK, 1, 0, CJK)
        addMapping(CJK, 0, 1, CJK)
        addMapping(CJK, 1, 1, CJK)
    if latin is None:
        if cjk is not None:      # the CJK fonts carry Latin glyphs too
            latin = latin_bold = CJK
            latin_path, latin_chars = cjk_path, cjk_chars
        else:
            latin, latin_bold = "Helvetica", "Helvetica-Bold"
    else:
        addMapping(LATIN, 0, 0, LATIN)
        addMapping(LATIN, 1, 0, LATIN_BOLD)
        addMapping(LATIN, 0, 1, LATIN)
        addMapping(LATIN, 1, 1, LATIN_BOLD)
    return FontSet(latin, latin_bold, cjk, latin_path, cjk_path, latin_chars, cjk_chars)


def fonts() -> FontSet:
    global _fonts, _warned
    if _fonts is None:
        with _lock:
            if _fonts is None:
                _fonts = _load()
    if _fonts.cjk is None and not _warned:
        _warned = True
        log.warning("no TrueType CJK font found (install fonts-wqy-zenhei or set ORCHARD_CJK_FONT): "
                    "Chinese text in printed documents will show as empty boxes")
    return _fonts


def status() -> str:
    f = fonts()
    if f.cjk is None:
        return "no CJK font: Chinese text will not print"
    return f"Latin: {f.latin_path or f.latin}; CJK: {f.cjk_path}"


@functools.lru_cache(maxsize=20000)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` split into (font name, piece) runs, each piece drawable in its font."""
    f = fonts()
    out: list[list[str]] = []
    for ch in text:
        name = f.font_for(ch)
        if out and out[-1][0] == name:
            out[-1][1] += ch
        else:
            out.append([name, ch])
    return tuple((n, s) for n, s in out)


def needs_cjk(text: str) -> bool:
    f = fonts()
    return f.cjk is not None and any(n == f.cjk for n, _ in runs(text))


def font_for_text(text: str, bold: bool = False) -> str:
    """One font for a whole string (chart labels, plain table cells): the Latin one unless
    the string has characters only the CJK font draws."""
    f = fonts()
    if needs_cjk(text):
        return f.cjk
    return f.latin_bold if bold else f.latin
