"""One family of errors for everything the core raises on purpose.

Every error a user can cause is an ``OrchardError``: its message is safe to show
(it never contains personal data) and, for validation, it names the field so the
GUI can put the message beside it.  Anything else that escapes the core is a bug.
"""

from __future__ import annotations

from datetime import datetime



class OrchardError(Exception):
    """Root of all user-facing errors. ``str(err)`` is fit to show to staff.

    ``message`` may be a template with named fields ("wait {seconds} s") filled from
    ``params``: the GUI translates the fixed template, then fills in the values, so a
    message with a number in it still reaches a Chinese user in Chinese."""

    def __init__(self, message: str, **params: object):
        text = message.format(**params) if params else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params


class ValidationError(OrchardError):
    """A value at the core boundary is not acceptable.

    ``field`` is the name of the input (e.g. ``"phone"``), ``reason`` a short
    explanation that does not repeat the value itself.
    """

    def __init__(self, field: str, reason: str, **params: object):
        # ``reason`` may be a template ("must be at most {n} characters") so the GUI can
        # translate the fixed text and fill in the numbers afterwards.
        text = reason.format(**params) if params else reason
        super().__init__(f"{field}: {text}")
        self.field = field
        self.template = reason
        self.params = params
        self.reason = text


class ValidationErrors(OrchardError):
    """Several fields failed at once; ``errors`` keeps each one."""

    def __init__(self, errors: list[ValidationError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    @property
    def by_field(self) -> dict[str, str]:
        return {e.field: e.reason for e in self.errors}


class NotFound(OrchardError):
    def __init__(self, what: str):
        super().__init__(f"{what} not found")
        self.what = what


class PermissionDenied(OrchardError):
    def __init__(self, permission: str, role: str):
        super().__init__(f"the role '{role}' may not {permission.replace('_', ' ')}")
        self.permission = permission
        self.role = role


class Conflict(OrchardError):
    """The action clashes with the current state (a slot just taken, an illegal move)."""


class AuthenticationError(OrchardError):
    """Sign-in refused; the message says why without hinting which part was wrong."""


class PinBlocked(AuthenticationError):
    """Too many wrong PINs: only the full password signs in now."""


class AccountLocked(AuthenticationError):
    def __init__(self, message: str, until: datetime | None = None, **params: object):

        super().__init__(message, **params)
        self.until = until


# --- the encrypted database and its key ---------------------------------------------

class VaultError(OrchardError):
    """Opening, creating or re-keying the store database failed."""


class DatabaseMissing(VaultError):
    pass


class DatabaseExists(VaultError):
    pass


class WrongKey(VaultError):
    """The key (or passphrase) does not open this database."""


class MissingKey(VaultError):
    """No key for this database is available (keyring entry gone, no passphrase given)."""


class NotAnOrchardDatabase(VaultError):
    """The file is not an Orchard store database (plain SQLite, another program's file)."""


class CorruptDatabase(VaultError):
    """The key is right but the file is damaged."""


class DatabaseBusy(OrchardError):
    """Other work held the store file for longer than a unit of work waits for it (the file
    rewrite after an erasure holds it about half a minute at a million customers,
    core.erasure.rewrite_file): nothing of this unit of work was kept, and it can be tried
    again."""


class PassphraseRequired(MissingKey):
    """No usable OS keyring: the key must be derived from the store passphrase."""


class KeyringLost(MissingKey):
    """A keyring-kept store whose key entry is gone from this computer's keyring (a profile
    rebuilt, a machine restored): open it with the recovery key or a passphrase
    (``StoreDatabase.recover``); nothing is ever created in its place."""
