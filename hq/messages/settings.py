"""HQ's message settings, from the environment (documented in the README).

Email (SMTP): ``ORCHARD_SMTP_HOST``, ``ORCHARD_SMTP_PORT`` (default 587 for STARTTLS, 465 for
SSL, 25 for none), ``ORCHARD_SMTP_TLS`` (``starttls`` | ``ssl`` | ``none``; ``none`` only to a
loopback host, e.g. a local relay), ``ORCHARD_SMTP_USER``, ``ORCHARD_SMTP_PASSWORD`` (or
``ORCHARD_SMTP_PASSWORD_FILE``), ``ORCHARD_SMTP_FROM``.

SMS (one generic HTTP gateway, :class:`hq.messages.sms.HttpGateway`): ``ORCHARD_SMS_URL``,
``ORCHARD_SMS_AUTH_HEADER`` (``Name: value``, e.g. ``Authorization: Bearer …``; or
``ORCHARD_SMS_AUTH_HEADER_FILE``), ``ORCHARD_SMS_BODY`` (a JSON template with ``{to}``
``{text}`` ``{ref}``), ``ORCHARD_SMS_SECRET`` (or ``_FILE``: the shared secret the gateway's
delivery and inbound webhooks send in the ``X-Orchard-Secret`` header).

``ORCHARD_HQ_PUBLIC_URL``: the base of the links in messages (``https://hq.example.com``).

Secrets are read from the variable or from the file the ``*_FILE`` variable names; they are
never logged and never shown in a ``repr`` or an error (errors name the variable only)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_SMS_BODY = '{"to": "{to}", "text": "{text}", "ref": "{ref}"}'


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable, never its value."""


def is_loopback(host: str) -> bool:
    from hq.cli import is_loopback_host
    return is_loopback_host(host)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str                                         # starttls, ssl, none
    sender: str                                      # the From address
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0


@dataclass(frozen=True)
class SmsSettings:
    url: str
    body_template: str = DEFAULT_SMS_BODY
    auth_header: tuple[str, str] | None = field(default=None, repr=False)
    timeout: float = 20.0


@dataclass(frozen=True)
class Settings:
    smtp: SmtpSettings | None = None
    sms: SmsSettings | None = None
    public_url: str = ""
    webhook_secret: str = field(default="", repr=False)

    @property
    def any_channel(self) -> bool:
        return self.smtp is not None or self.sms is not None


def _secret(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    path = env.get(name + "_FILE", "")
    if value and path:
        raise SettingsError(f"{name} and {name}_FILE are both set; give one")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError:
            raise SettingsError(f"{name}_FILE cannot be read") from None
    return value.strip()


def smtp_from_env(env: Mapping[str, str]) -> SmtpSettings | None:
    host = env.get("ORCHARD_SMTP_HOST", "").strip()
    if not host:
        return None
    tls = env.get("ORCHARD_SMTP_TLS", "starttls").strip().lower() or "starttls"
    if tls not in TLS_MODES:
        raise SettingsError("ORCHARD_SMTP_TLS must be starttls, ssl or none")
    if tls == "none" and not is_loopback(host):
        raise SettingsError("ORCHARD_SMTP_TLS=none is allowed only to a loopback host (a local relay)")
    port_text = env.get("ORCHARD_SMTP_PORT", "").strip()
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise SettingsError("ORCHARD_SMTP_PORT must be a port number")
    sender = env.get("ORCHARD_SMTP_FROM", "").strip()
    if "@" not in sender:
        raise SettingsError("ORCHARD_SMTP_FROM must be the address messages come from")
    return SmtpSettings(host, int(port_text) if port_text else DEFAULT_PORTS[tls], tls, sender,
                        env.get("ORCHARD_SMTP_USER", "").strip(), _secret(env, "ORCHARD_SMTP_PASSWORD"))


def parse_auth_header(text: str) -> tuple[str, str] | None:
    """``"Name: value"`` → ``("Name", "value")``; empty → None."""
    if not text:
        return None
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or not value.strip() or any(c in text for c in "\r\n"):
        raise SettingsError("ORCHARD_SMS_AUTH_HEADER must read 'Name: value'")
    return name.strip(), value.strip()


def check_body_template(template: str) -> str:
    """The gateway's JSON body template: valid JSON, with ``{to}`` and ``{text}`` in it."""
    try:
        json.loads(template)
    except ValueError:
        raise SettingsError("ORCHARD_SMS_BODY must be a JSON template") from None
    if "{to}" not in template or "{text}" not in template:
        raise SettingsError("ORCHARD_SMS_BODY must hold {to} and {text}")
    return template


def sms_from_env(env: Mapping[str, str]) -> SmsSettings | None:
    url = env.get("ORCHARD_SMS_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("https://", "http://")):
        raise SettingsError("ORCHARD_SMS_URL must be an http(s) URL")
    if url.startswith("http://"):
        from urllib.parse import urlsplit
        if not is_loopback(urlsplit(url).hostname or ""):
            raise SettingsError("ORCHARD_SMS_URL must use https (plain http only to a loopback host)")
    body = check_body_template(env.get("ORCHARD_SMS_BODY", "").strip() or DEFAULT_SMS_BODY)
    return SmsSettings(url, body, parse_auth_header(_secret(env, "ORCHARD_SMS_AUTH_HEADER")))


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    """Every message setting from ``env`` (the process environment by default);
    :class:`SettingsError` naming the variable when one is unusable."""
    env = os.environ if env is None else env
    public = env.get("ORCHARD_HQ_PUBLIC_URL", "").strip().rstrip("/")
    if public and not public.startswith(("https://", "http://")):
        raise SettingsError("ORCHARD_HQ_PUBLIC_URL must be an http(s) URL")
    return Settings(smtp_from_env(env), sms_from_env(env), public, _secret(env, "ORCHARD_SMS_SECRET"))


__all__ = ["DEFAULT_SMS_BODY", "Settings", "SettingsError", "SmsSettings", "SmtpSettings", "from_env",
           "is_loopback", "parse_auth_header"]
