"""A CSV cell a spreadsheet will not run as a formula: one rule for every export a person may
open in Excel or LibreOffice (the HQ console's figures, the store's marketing lists).

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets skip before reading a formula) is read as a formula ("CSV injection"): a
customer named ``=HYPERLINK(...)`` would become a link on the manager's screen. Such a cell
is written with a leading apostrophe, so the spreadsheet shows it as text. Apply it to free
text people typed (names, store names), never to a value whose syntax a program relies on
(an E.164 phone number starts with ``+``)."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


__all__ = ["FORMULA_STARTS", "cell"]
