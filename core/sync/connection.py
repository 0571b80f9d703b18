"""Talking to HQ: the sync errors, the address check (HTTPS, or plain HTTP to loopback
only), the verified HTTP client, and one request with HQ's refusals turned into
messages fit to show (HQ answers with a code and values; its English never reaches the
screen)."""

from __future__ import annotations

import ipaddress
import ssl
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx
import orjson

from core.errors import OrchardError
from core.version import HEADER as VERSION_HEADER
from core.version import NEWEST_HEADER, OLDEST_HEADER, TOO_OLD, VERSION, normal


class SyncError(OrchardError):
    """Sync failed; the message is fit to show and holds no personal data."""


class HqUnreachable(SyncError):
    """No answer from HQ (offline, HQ down, a timeout). Work goes on; sync retries."""


class HqRefused(SyncError):
    """HQ refused this store (wrong or withdrawn credential, used enrolment code)."""


class InsecureHq(SyncError):
    """The HQ address is not acceptable (plain HTTP beyond this machine, not a URL)."""


class CertificateRejected(HqUnreachable):
    """HQ's certificate does not check out against the configured CA: fail closed."""


class NotEnrolled(SyncError):
    """This store has not enrolled with HQ yet."""


class VersionTooOld(SyncError):
    """HQ no longer accepts this version of Orchard (HTTP 426): sync stops, nothing is lost
    (the changes wait in the outbox), until Orchard is updated or HQ accepts it again."""

    kind = TOO_OLD

    @property
    def oldest(self) -> str:
        """The oldest version HQ accepts."""
        return str(self.params.get("oldest", "?"))


# what HQ announced with an answer: (newest version, oldest accepted), each None when absent
Heard = Callable[[str | None, str | None], None]


# --- the address and the connection -------------------------------------------------------

def is_loopback(host: str) -> bool:
    host = (host or "").strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """A normalised HQ base URL; :class:`InsecureHq` for plain HTTP to anything but
    loopback, or for something that is not an http(s) URL."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureHq("the HQ address must start with https:// and name a host")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureHq("plain http is allowed only to this machine; use https:// for HQ")
    return url


def make_http(url: str, ca_file: str | None = None, *, transport: httpx.BaseTransport | None = None,
              timeout: float = 30.0) -> httpx.Client:
    url = check_url(url)
    verify: ssl.SSLContext | bool = True
    if url.startswith("https://"):
        try:
            ctx = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        except (OSError, ssl.SSLError):
            raise SyncError("the CA certificate file for HQ cannot be read") from None
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        verify = ctx
    return httpx.Client(base_url=url, verify=verify, transport=transport,
                        timeout=httpx.Timeout(timeout, connect=5.0),
                        headers={"User-Agent": f"Orchard/{VERSION}", VERSION_HEADER: VERSION})


def _is_cert_error(exc: BaseException) -> bool:
    seen = 0
    e: BaseException | None = exc
    while e is not None and seen < 6:
        if isinstance(e, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(e) \
                or "certificate verify failed" in str(e):
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return False


def announced(response: httpx.Response) -> tuple[str | None, str | None]:
    """The newest version HQ announced and the oldest it accepts (None where absent or
    not a version)."""
    return normal(response.headers.get(NEWEST_HEADER)), normal(response.headers.get(OLDEST_HEADER))


def _too_old(response: httpx.Response) -> VersionTooOld:
    try:
        answer = response.json()
        oldest = normal(str(answer.get("oldest"))) if isinstance(answer, dict) else None
    except ValueError:
        oldest = None
    return VersionTooOld("this version ({version}) is older than the oldest HQ accepts ({oldest}); update Orchard",
                         version=VERSION, oldest=oldest or announced(response)[1] or "?")


def _call(http: httpx.Client, method: str, path: str, *, heard: Heard | None = None,
          **kw: Any) -> dict[str, Any]:
    """One request to HQ, carrying this app's version (every request does); ``heard`` is
    told the versions HQ announced with its answer, whatever the answer was."""
    kw["headers"] = {VERSION_HEADER: VERSION, **(kw.get("headers") or {})}
    try:
        response = http.request(method, path, **kw)
    except httpx.HTTPError as exc:
        if _is_cert_error(exc):
            raise CertificateRejected("HQ's certificate is not trusted (check the CA file); nothing was sent") \
                from None
        raise HqUnreachable("HQ cannot be reached; work continues offline") from None
    if heard is not None:
        heard(*announced(response))
    if response.status_code == 426:
        raise _too_old(response)
    if response.status_code >= 500:
        raise HqUnreachable("HQ had a problem answering; sync will retry")
    if response.status_code >= 400:
        template, params = _refusal(response)
        raise (HqRefused if response.status_code in (401, 403) else SyncError)(template, **params)
    try:
        # orjson: a pulled page is thousands of rows, and the stdlib parser costs several
        # microseconds a row more
        body = orjson.loads(response.content)
    except ValueError:
        raise HqUnreachable("HQ's answer was garbled; sync will retry") from None
    if not isinstance(body, dict):
        raise HqUnreachable("HQ's answer was garbled; sync will retry")
    return body


# Why HQ refused a request, by the code HQ answers with: HQ's own English never reaches
# the screen, so a Chinese store reads the reason in Chinese.
_HQ_REASONS = {
    "not_authenticated": "HQ refused this store's credential; enrol the store again",
    "enrol_code_invalid": "this enrolment code is not valid (wrong, used or expired)",
    "enrol_code_other_store": "this enrolment code is for store {store}",
    "enrolled_elsewhere": "this store is enrolled with another database; HQ must reset it first",
    "database_is_another_store": "this database is already enrolled as another store",
    "too_large": "the request was too large for HQ; nothing was changed",
    "fetch_rate_limited": "HQ refused: too many look-ups from this store this hour; try again in {minutes} minutes",
    "bad_request": "HQ could not accept this request ({status}); nothing was changed",
}


def _refusal(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """The store's template for HQ's refusal code, and its values."""
    try:
        answer = response.json()
        code, params = str(answer.get("code") or ""), answer.get("params") or {}
    except (ValueError, AttributeError):
        code, params = "", {}
    template = _HQ_REASONS.get(code)
    params = {str(k): str(v)[:40] for k, v in params.items()} if isinstance(params, dict) else {}
    try:
        template.format(**params) if template else None
    except (KeyError, IndexError, ValueError):
        template = None
    if template is None:
        return _HQ_REASONS["bad_request"], {"status": response.status_code}
    return template, {k: v for k, v in params.items() if "{" + k + "}" in template}
