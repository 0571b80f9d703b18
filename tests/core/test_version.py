"""core.version: the version Orchard shows and sends, and how two versions compare."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import version
from core.version import VERSION, normal, older, parse, update_available

part = st.integers(min_value=0, max_value=999_999_999)
triple = st.tuples(part, part, part)


def text(t: tuple[int, int, int]) -> str:
    return "%d.%d.%d" % t


def test_this_version_is_a_version():
    assert normal(VERSION) == VERSION
    assert update_available(VERSION) is None, "the version this app is, is no update for it"


@given(triple)
def test_parse_reads_what_it_writes(t):
    assert parse(text(t)) == t
    assert parse(f"  {text(t)}\n") == t, "a header's surrounding blanks do not count"


@given(triple, triple)
def test_older_is_numeric_not_alphabetical(a, b):
    assert older(text(a), text(b)) == (a < b)
    assert not (older(text(a), text(b)) and older(text(b), text(a)))


@given(triple, triple, triple)
def test_older_is_transitive(a, b, c):
    if older(text(a), text(b)) and older(text(b), text(c)):
        assert older(text(a), text(c))


def test_the_classic_mistakes():
    assert older("1.9.0", "1.10.0"), "10 comes after 9, whatever the letters say"
    assert older("0.99.99", "1.0.0")
    assert not older("1.0.0", "1.0.0")
    assert normal("01.002.3") == "1.2.3"


@pytest.mark.parametrize("bad", ["", "1", "1.2", "1.2.3.4", "v1.2.3", "1.2.-3", "1..2", "1.2.3-beta", "１.２.３",
                                 "1.2.3\n4", "1 .2.3", "1234567890.0.0", "9" * 50 + ".0.0", None, 3])
def test_anything_else_is_not_a_version(bad):
    with pytest.raises(ValueError) as err:
        parse(bad)
    assert str(err.value) == "a version is three whole numbers joined by dots, e.g. 1.2.3", "never the value"
    assert normal(bad) is None


@given(triple, triple)
def test_update_available_only_for_a_newer_version(current, newest):
    shown = update_available(text(newest), current=text(current))
    assert shown == (text(newest) if current < newest else None)


def test_update_available_ignores_what_is_not_a_version():
    assert update_available(None) is None
    assert update_available("latest") is None


def test_the_headers_are_named_once():
    assert (version.HEADER, version.NEWEST_HEADER, version.OLDEST_HEADER) == (
        "X-Orchard-Version", "X-Orchard-Newest", "X-Orchard-Oldest")
    assert version.TOO_OLD == "version_too_old"
