"""Email over SMTP (``smtplib``): STARTTLS or implicit TLS with the system's certificate
checks; plain SMTP only to a loopback host (a local relay).

:meth:`SmtpSender.send` answers a :class:`hq.messages.sms.SendResult` as a gateway does:
``retry`` only when the server certainly did not take the message (no connection, a
refusal before the message was handed over, a 4xx answer); a 5xx refusal is permanent,
and a failure while the message itself was being handed over is not retried (the server
may have queued it: one event, one message). Nothing here logs an address or a body."""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from hq.messages.settings import SettingsError, SmtpSettings, is_loopback
from hq.messages.sms import SendResult

SMTP_ERROR = "smtp_error"
# lines up to the standard's 998 characters: a long link in List-Unsubscribe stays one plain
# token (folding at 78 would turn it into encoded words mail clients cannot follow)
_POLICY = email.policy.SMTP.clone(max_line_length=998)
RECIPIENT_REFUSED = "recipient_refused"
INVALID_MESSAGE = "invalid_request"


def build(sender: str, to: str, subject: str, body: str, *, ref: str,
          unsubscribe_url: str | None = None) -> EmailMessage:
    """The message: UTF-8 text, its subject encoded as the standard says for non-ASCII
    (``=?utf-8?…?=``), a Message-ID naming HQ's ref, and a List-Unsubscribe header when the
    message carries an unsubscribe link."""
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or "orchard.invalid"
    msg["Message-ID"] = make_msgid(idstring=ref.replace("-", ""), domain=domain)
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    msg.set_content(body, charset="utf-8")
    return msg


class SmtpSender:
    def __init__(self, settings: SmtpSettings):
        if settings.tls == "none" and not is_loopback(settings.host):
            raise SettingsError("ORCHARD_SMTP_TLS=none is allowed only to a loopback host (a local relay)")
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "ssl":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
        conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.tls == "starttls":
            conn.starttls(context=ssl.create_default_context())
        return conn

    def send(self, to: str, subject: str, body: str, *, ref: str, unsubscribe_url: str | None = None) -> SendResult:
        s = self.settings
        try:
            msg = build(s.sender, to, subject, body, ref=ref, unsubscribe_url=unsubscribe_url)
        except (ValueError, TypeError):     # a header the email module refuses: nothing was sent
            return SendResult(False, reason=INVALID_MESSAGE, retry=False)
        try:
            conn = self._connect()
        except (OSError, smtplib.SMTPException):
            return SendResult(False, reason=SMTP_ERROR, retry=True)
        handing_over = sent = False
        try:
            with conn:
                if s.user:
                    conn.login(s.user, s.password)
                handing_over = True
                conn.send_message(msg)
                sent = True
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return SendResult(False, reason=RECIPIENT_REFUSED, retry=all(400 <= c < 500 for c in codes))
        except smtplib.SMTPResponseException as exc:
            if not sent:
                return SendResult(False, reason=SMTP_ERROR, retry=400 <= exc.smtp_code < 500)
        except (OSError, smtplib.SMTPException):
            if not sent:                  # lost while handing it over: the server may have it
                return SendResult(False, reason=SMTP_ERROR, retry=not handing_over)
        return SendResult(True, str(msg["Message-ID"]).strip("<>")[:100])


__all__ = ["INVALID_MESSAGE", "RECIPIENT_REFUSED", "SMTP_ERROR", "SmtpSender", "build"]
