"""The screen font for the chosen language. Headings and primary buttons are bold in the
style sheets (font-weight 600/700); in Chinese the glyphs come from a CJK font, and a CJK
font without a bold face (WenQuanYi Zen Hei, which a plain Linux may fall back to) draws
them regular. So Chinese uses a CJK family that has a bold face, where one is installed;
English goes back to the platform's font."""

from __future__ import annotations

from desktop.qt import QApplication, QFont, QFontDatabase

# families with real bold weights: Linux (fonts-noto-cjk), then Windows, macOS, Adobe's name
CJK_FAMILIES = ("Noto Sans CJK SC", "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC",
                "Source Han Sans SC", "Source Han Sans CN")

_platform_font: QFont | None = None


def has_bold(family: str) -> bool:
    return any("bold" in style.lower() or "heavy" in style.lower() or "black" in style.lower()
               for style in QFontDatabase.styles(family))


def cjk_family() -> str | None:
    """The first installed CJK family that has a bold face, or None."""
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed and has_bold(f)), None)


def apply_language_font(app: QApplication, lang: str) -> None:
    global _platform_font
    if _platform_font is None:
        _platform_font = QFont(app.font())
    font = QFont(_platform_font)
    family = cjk_family() if lang == "zh_CN" else None
    if family is not None:
        # Latin letters and digits of this family fit the Chinese beside them
        font.setFamilies([family, *_platform_font.families()])
    app.setFont(font)
