"""The outermost layer of HQ's web app (pure ASGI, so it sees every byte and every
response, whichever server runs the app):

* **Body limits while streaming.** A request body is counted as it arrives; past the
  route's limit the read fails with :class:`TooLarge` (answered 413) before another byte
  is kept, and a body declared too large by ``Content-Length`` is refused before any is
  read. Routes that a store's credential opens get :data:`MAX_BODY`; every other route
  (enrolment, anything unknown) gets :data:`MAX_OPEN_BODY`.
* **Security headers** on every response, HSTS when the request came over TLS, and no
  ``server`` header. A response sent before its request's body was read to the end
  closes the connection, so the rest of an unwanted body is not read either.
* **No leaks on failure.** An exception that escapes the app (Starlette re-raises one
  after its handler answered 500, for the server to log) ends here: logged by type only.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

import orjson

from hq.common import HqError

log = logging.getLogger("orchard.hq")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 64 * 1024 * 1024          # a store's push batch
MAX_OPEN_BODY = 16 * 1024            # enrolment and anything else without a credential
# routes that read a body only after checking the store's credential
AUTHENTICATED = ("/v1/push", "/v1/rows", "/v1/pull", "/v1/customers", "/v1/audit-head",
                 "/api/sales")      # a till's sales (issue 23): its till key is checked before the body is read

SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
_REPLACED = {b"server", b"cache-control", b"x-content-type-options", b"referrer-policy", b"x-frame-options",
             b"strict-transport-security"}


class TooLarge(HqError):
    status = 413
    code = "too_large"


def body_limit(path: str) -> int:
    return MAX_BODY if path.startswith(AUTHENTICATED) else MAX_OPEN_BODY


def _declared_length(scope: Scope) -> int | None:
    """The ``Content-Length`` (-1 when it is not a number), None without one."""
    for name, value in scope.get("headers") or ():
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() and len(value) < 19 else -1
    return None


def _has_body(scope: Scope, declared: int | None) -> bool:
    if declared is not None:
        return declared != 0
    return any(name.lower() == b"transfer-encoding" for name, _ in scope.get("headers") or ())


class Guard:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path") or "")
        declared = _declared_length(scope)
        extra = SECURITY_HEADERS + ([HSTS] if scope.get("scheme") == "https" else [])
        state = {"read": 0, "done": not _has_body(scope, declared), "started": False}

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers") or () if k.lower() not in _REPLACED]
                headers += extra
                if not state["done"]:
                    headers.append((b"connection", b"close"))
                message = {**message, "headers": headers}
                state["started"] = True
            await send(message)

        async def refuse(status: int, code: str, text: str) -> None:
            if state["started"]:
                return
            await guarded_send({"type": "http.response.start", "status": status,
                                "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": orjson.dumps({"error": text, "code": code})})

        if declared is not None and (declared < 0 or declared > limit):
            await refuse(413 if declared > limit else 400, "too_large" if declared > limit else "bad_request",
                         "the request is too large" if declared > limit else "bad Content-Length")
            return

        async def guarded_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    raise TooLarge("the request is too large; send smaller batches")
                if not message.get("more_body", False):
                    state["done"] = True
            return message

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except TooLarge as exc:
            await refuse(exc.status, exc.code, exc.message)
        except Exception as exc:  # noqa: BLE001 - the last stop before the server's own log
            if not state["started"]:
                log.error("unexpected %s on %s", type(exc).__name__, (scope.get("path") or "")[:200])
                await refuse(500, "hq_failed", "HQ could not handle this request")
