"""The one exception hierarchy of Caseworker.

Every fault the program foresees is a ``CaseworkerError``. Two families sit under it:

``UserError``
    Something the person can put right: a wrong passphrase, an unknown user, a bad file, a
    month that is already submitted, a role that may not do this. Its message is already
    translated, names what is wrong and what to do, and is safe to show anywhere (it never
    contains a secret or a count of a category).

``EnvironmentFault``
    The machine or its surroundings failed: the disk is full, the store is locked by another
    program, a folder cannot be written. The work can be tried again once the cause is gone;
    nothing was half-written.

Anything that is not a ``CaseworkerError`` is a bug: the command line prints a short line and
writes a crash report, the GUI opens its crash dialog.

    CaseworkerError
    ├── UserError
    │   ├── InvalidInput          a value, file or argument is malformed
    │   ├── NotFound              a named thing does not exist
    │   ├── AlreadyExists         a named thing exists already
    │   ├── PermissionDenied      the user's role may not do this
    │   ├── AuthenticationFailed  wrong passphrase, unknown user, bad recovery key
    │   ├── StoreMissing          no store in this folder yet
    │   ├── StoreIncompatible     store made by a newer version, or SQLCipher build unusable
    │   ├── StoreDamaged          the database or a key slot is corrupt or was altered
    │   └── Conflict              the state forbids it (a submitted month, a duplicate ...)
    └── EnvironmentFault
        ├── DiskFull
        ├── StoreLocked
        └── FileAccessError
"""

from __future__ import annotations

import errno


class CaseworkerError(Exception):
    """Base of every fault Caseworker foresees. ``str(error)`` is the message to show.

    ``command``: the command line that does what the message asks (``caseworker month reopen
    2026-10``), said by the command line only; the window's message names its own place instead.
    """

    def __init__(self, message: str, command: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.command = command

    def __str__(self) -> str:
        return self.message


class UserError(CaseworkerError):
    """A fault the person can put right; the message says what is wrong and what to do."""


class InvalidInput(UserError):
    """A value, file or argument is malformed."""


class NotFound(UserError):
    """A named thing (user, period, file, centre ...) does not exist."""


class AlreadyExists(UserError):
    """A named thing exists already."""


class PermissionDenied(UserError):
    """The acting user's role may not do this."""


class AuthenticationFailed(UserError):
    """Wrong passphrase, unknown user or bad recovery key."""


class StoreMissing(UserError):
    """There is no store in the chosen folder."""


class StoreIncompatible(UserError):
    """The store or the SQLCipher build cannot be used by this version."""


class StoreDamaged(UserError):
    """The database or a key-slot file is corrupt or was altered."""


class Conflict(UserError):
    """The current state forbids the action."""


class EnvironmentFault(CaseworkerError):
    """The machine failed the program; trying again later may succeed."""


class DiskFull(EnvironmentFault):
    """No space left where the program had to write."""


class StoreLocked(EnvironmentFault):
    """Another program holds the store."""


class FileAccessError(EnvironmentFault):
    """A file or folder cannot be read or written."""


def fault_from_os_error(error: OSError, path: object) -> EnvironmentFault:
    """Translate an ``OSError`` met while touching ``path`` into an environment fault."""
    from caseworker.i18n import t

    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(t("There is no space left on the disk for {path}. Free some space and try again.", path=path))
    return FileAccessError(
        t("Cannot access {path}: {reason}. Check that the folder exists and can be written.", path=path, reason=error.strerror or error)
    )
