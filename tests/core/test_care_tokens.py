"""Survey tokens (core/care/tokens.py): what a receipt's QR code carries to HQ's page."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from core.care import tokens

KEY = tokens.key_from_credential("store-credential-1")
T0 = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
LAST_MINUTE = int(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc).timestamp() // 60)   # the last a datetime holds


def _make(key: bytes = KEY, **kw: object) -> str:
    args: dict[str, object] = dict(store_id=uuid.UUID(int=1), invitation_id=uuid.UUID(int=2), visit_kind="ticket",
                                   visit_id=uuid.UUID(int=3), expires_at=T0 + timedelta(days=14))
    args.update(kw)
    return tokens.make(key, **args)  # type: ignore[arg-type]


@given(store=st.uuids(), invitation=st.uuids(), visit=st.uuids(), kind=st.sampled_from(["ticket", "appointment"]),
       minutes=st.integers(0, LAST_MINUTE))
def test_a_token_reads_back_what_it_names(store, invitation, visit, kind, minutes):
    expires = datetime.fromtimestamp(minutes * 60, timezone.utc)
    text = tokens.make(KEY, store_id=store, invitation_id=invitation, visit_kind=kind, visit_id=visit,
                       expires_at=expires)
    assert len(text) <= 100 and text.isascii() and "=" not in text          # fits a QR code and a URL
    t = tokens.verify(KEY, text)
    assert (t.store_id, t.invitation_id, t.visit_kind, t.visit_id, t.expires_at) == (store, invitation, kind, visit,
                                                                                      expires)
    assert tokens.peek_store(text) == store


def test_hq_derives_the_stores_key_from_the_credential_hash_it_holds():
    cred = "store-credential-1"
    assert tokens.key_from_credential_hash(hashlib.sha256(cred.encode()).hexdigest()) == KEY
    assert tokens.key_from_credential("another") != KEY


def test_a_token_signed_with_another_key_or_changed_in_one_byte_is_refused():
    text = _make()
    with pytest.raises(tokens.BadToken):
        tokens.verify(tokens.key_from_credential("someone else"), text)
    raw = bytearray(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    for i in range(len(raw)):
        changed = bytearray(raw)
        changed[i] ^= 1
        with pytest.raises(tokens.BadToken):
            tokens.verify(KEY, base64.urlsafe_b64encode(bytes(changed)).rstrip(b"=").decode())


@pytest.mark.parametrize("text", ["", "x", "é" * 10, "A" * 500, "!!!!", _make()[:-2]])
def test_garbage_is_refused_with_no_detail(text):
    with pytest.raises(tokens.BadToken) as e:
        tokens.verify(KEY, text)
    assert str(e.value) == "bad token"


def test_expiry_is_the_callers_now():
    t = tokens.verify(KEY, _make(expires_at=T0))
    assert not t.expired(T0 - timedelta(minutes=1))
    assert t.expired(T0)


def test_the_token_names_no_person():
    text = _make()
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert len(raw) == 1 + 1 + 16 * 3 + 4 + 16          # version, kind, three ids, expiry, MAC: nothing else


URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.mark.parametrize("extra", [".", "+", "/", " ", "=", "\n"])
def test_a_character_outside_the_url_safe_alphabet_is_refused(extra):
    text = _make()
    middle = len(text) // 2
    # a lenient decoder drops '.' or ' ' and reads the rest as the same token
    with pytest.raises(tokens.BadToken):
        tokens.verify(KEY, text[:middle] + extra + text[middle:])
    with pytest.raises(tokens.BadToken):
        tokens.peek_store(text + extra)


@given(store=st.uuids(), invitation=st.uuids(), visit=st.uuids())
def test_only_the_exact_text_that_was_made_is_accepted(store, invitation, visit):
    text = tokens.make(KEY, store_id=store, invitation_id=invitation, visit_kind="ticket", visit_id=visit,
                       expires_at=T0)
    assert tokens.verify(KEY, text).visit_id == visit
    standard = text.translate(str.maketrans("-_", "+/"))          # the same bytes in the standard alphabet
    if standard != text:
        with pytest.raises(tokens.BadToken):
            tokens.verify(KEY, standard)
    # the last character carries 2 bits of the MAC and 4 spare bits: setting a spare bit is refused
    spare = URLSAFE[URLSAFE.index(text[-1]) ^ 1]
    with pytest.raises(tokens.BadToken):
        tokens.verify(KEY, text[:-1] + spare)


def test_an_expiry_past_the_year_9999_is_a_bad_token_not_a_crash():
    # the fields are read before the MAC is checked (peek_store): a forged expiry must not escape as another error
    text = _make()
    raw = bytearray(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    raw[50:54] = (2 ** 32 - 1).to_bytes(4, "big")
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    for read in (tokens.peek_store, lambda t: tokens.verify(KEY, t)):
        with pytest.raises(tokens.BadToken):
            read(forged)


def test_a_link_of_another_purpose_never_answers_a_survey():
    """A quote's approval link or an unsubscribe link (issue 22) is refused where a survey
    link is asked for, and a survey link where they are."""
    quote = _make(visit_kind="quote")
    with pytest.raises(tokens.BadToken):
        tokens.verify(KEY, quote)
    assert tokens.verify(KEY, quote, kinds=frozenset({"quote"})).visit_kind == "quote"
    with pytest.raises(tokens.BadToken):
        tokens.verify(KEY, _make(), kinds=frozenset({"quote", "unsubscribe"}))
