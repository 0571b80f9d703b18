"""Sending an SMS: the :class:`SmsGateway` protocol and one generic HTTP adapter.

Writing another adapter (a provider's own API): a class with

    def send(self, to_e164: str, text: str, ref: str) -> SendResult

``to_e164`` is the number as ``+8613812345678``, ``text`` the whole message (the adapter
splits or refuses what its provider cannot take), ``ref`` HQ's id for the message (the
request id: a provider that takes a client reference can echo it in delivery reports).
Return ``SendResult(ok=True, provider_ref=...)`` when the provider accepted the message (its
id for it, used to match delivery reports at ``POST /v1/messages/delivery``), or
``SendResult(ok=False, reason=<code>, retry=...)``: ``retry=True`` only when the provider
certainly did not take it (refused connection, a 429 or 503 answer), so a retry cannot
send it twice; ``retry=False`` for a permanent refusal or an outcome HQ cannot know (a
timeout after the request went out, or a 502/504 or other 5xx answer: a proxy in between
may have passed the message on before it gave up). Never raise for a network or provider failure, and
never log the number or the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from hq.messages.settings import SmsSettings

# reason codes (what the store's timeline shows; words in core.terms kind message_reason)
GATEWAY_ERROR = "gateway_error"
NOT_CONFIGURED = "not_configured"
# the answers that say for certain the gateway did not take the message (too many requests,
# service unavailable); a 502/504 comes from a proxy that may have passed it on before it gave up
RETRY_STATUSES = frozenset({429, 503})
_REF_KEYS = ("id", "message_id", "messageId", "sid", "ref", "reference")


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_ref: str | None = None
    reason: str = ""
    retry: bool = False


class SmsGateway(Protocol):
    def send(self, to_e164: str, text: str, ref: str) -> SendResult: ...


def fill(template: str, values: dict[str, str]) -> Any:
    """The JSON body: ``template`` parsed, then each ``{name}`` inside its strings replaced
    (so a quote or a new line in the text stays valid JSON)."""
    def walk(node: Any) -> Any:
        if isinstance(node, str):
            for name, value in values.items():
                node = node.replace("{" + name + "}", value)
            return node
        if isinstance(node, list):
            return [walk(n) for n in node]
        if isinstance(node, dict):
            return {walk(k): walk(v) for k, v in node.items()}
        return node
    return walk(json.loads(template))


def provider_ref(response: httpx.Response) -> str | None:
    """The provider's id for the message from its JSON answer (a top-level ``id``,
    ``message_id``, ``sid``, …, or the same inside ``data``), when it gave one."""
    try:
        answer = response.json()
    except ValueError:
        return None
    for node in (answer, answer.get("data") if isinstance(answer, dict) else None):
        if isinstance(node, dict):
            for key in _REF_KEYS:
                value = node.get(key)
                if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                    return str(value)[:100]
    return None


class HttpGateway:
    """A gateway that takes one POST of a JSON body per message (``ORCHARD_SMS_URL``, an
    optional auth header, the body from ``ORCHARD_SMS_BODY``). A 2xx answer is success (the
    provider's id from the answer's JSON, else HQ's ref); only 429 and 503 (the gateway
    says it did not take it) are retried; any other answer, 502/504 and the other 5xx
    included, and a timeout after the request was sent, are not (the provider may have
    sent it: one event, one text)."""

    def __init__(self, settings: SmsSettings, *, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self.transport = transport

    def send(self, to_e164: str, text: str, ref: str) -> SendResult:
        s = self.settings
        headers = {"content-type": "application/json"}
        if s.auth_header is not None:
            headers[s.auth_header[0]] = s.auth_header[1]
        body = fill(s.body_template, {"to": to_e164, "text": text, "ref": ref})
        try:
            with httpx.Client(timeout=s.timeout, transport=self.transport, follow_redirects=False) as client:
                response = client.post(s.url, content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                       headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
            return SendResult(False, reason=GATEWAY_ERROR, retry=True)      # never reached the gateway
        except httpx.HTTPError:
            return SendResult(False, reason=GATEWAY_ERROR, retry=False)     # it may have taken it
        if 200 <= response.status_code < 300:
            return SendResult(True, provider_ref(response) or ref)
        return SendResult(False, reason=GATEWAY_ERROR, retry=response.status_code in RETRY_STATUSES)


__all__ = ["GATEWAY_ERROR", "NOT_CONFIGURED", "RETRY_STATUSES", "HttpGateway", "SendResult", "SmsGateway", "fill", "provider_ref"]
