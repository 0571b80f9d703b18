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


def _make(key: bytes = KEY, **kw: object) -> str:
    args: dict[str, object] = dict(store_id=uuid.UUID(int=1), invitation_id=uuid.UUID(int=2), visit_kind="ticket",
                                   visit_id=uuid.UUID(int=3), expires_at=T0 + timedelta(days=14))
    args.update(kw)
    return tokens.make(key, **args)  # type: ignore[arg-type]


@given(store=st.uuids(), invitation=st.uuids(), visit=st.uuids(), kind=st.sampled_from(["ticket", "appointment"]),
       minutes=st.integers(0, 2 ** 32 - 1))
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
