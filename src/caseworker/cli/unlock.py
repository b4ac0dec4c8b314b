"""Where the command line gets passphrases: environment, a file, or a prompt.

Unlocking: ``CASEWORKER_USER`` with ``CASEWORKER_PASSPHRASE`` or ``CASEWORKER_PASSPHRASE_FILE``,
or ``CASEWORKER_RECOVERY_KEY``; otherwise a prompt when a person is at the terminal. New
passphrases: ``CASEWORKER_NEW_PASSPHRASE`` or a prompt asked twice.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from caseworker.app.session import Credentials
from caseworker.errors import AuthenticationFailed, InvalidInput
from caseworker.i18n import t

USER_ENV = "CASEWORKER_USER"
PASSPHRASE_ENV = "CASEWORKER_PASSPHRASE"
PASSPHRASE_FILE_ENV = "CASEWORKER_PASSPHRASE_FILE"
RECOVERY_ENV = "CASEWORKER_RECOVERY_KEY"
NEW_PASSPHRASE_ENV = "CASEWORKER_NEW_PASSPHRASE"


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def passphrase_from_env() -> str | None:
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    file_name = os.environ.get(PASSPHRASE_FILE_ENV)
    if file_name:
        try:
            require_private_file(Path(file_name))
            return Path(file_name).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(t("Cannot read the passphrase file {file}: {reason}", file=file_name, reason=error)) from None
    return None


def require_private_file(path: Path) -> None:
    """On POSIX systems, refuse a passphrase file that its group or others may read or change
    (as ssh refuses such a private key): ``InvalidInput`` saying how to make it private."""
    if os.name != "posix":
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise InvalidInput(
            t("Other users may read or change the passphrase file {file} (permissions {mode}); make it yours alone with “chmod 600 {file}” and try again.", file=path, mode=f"{mode:03o}")
        )


def credentials() -> Credentials:
    """The credentials for unlocking, from the environment or asked for."""
    user = os.environ.get(USER_ENV) or None
    recovery = os.environ.get(RECOVERY_ENV)
    if recovery:
        return Credentials(user=user, recovery_key=recovery)
    passphrase = passphrase_from_env()
    if passphrase is None or user is None:
        if not interactive():
            raise AuthenticationFailed(
                t("No credentials: set CASEWORKER_USER and CASEWORKER_PASSPHRASE (or CASEWORKER_PASSPHRASE_FILE), or CASEWORKER_RECOVERY_KEY.")
            )
        if user is None:
            user = input(t("User: ")).strip()
        if passphrase is None:
            passphrase = getpass.getpass(t("Passphrase for {user}: ", user=user))
    return Credentials(user=user, passphrase=passphrase)


def new_passphrase(for_user: str) -> str:
    """A new passphrase from CASEWORKER_NEW_PASSPHRASE or a prompt asked twice."""
    from_env = os.environ.get(NEW_PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not interactive():
        raise InvalidInput(t("No new passphrase: set CASEWORKER_NEW_PASSPHRASE or run the command at a terminal."))
    first = getpass.getpass(t("New passphrase for {user}: ", user=for_user))
    second = getpass.getpass(t("The same passphrase again: "))
    if first != second:
        raise InvalidInput(t("The two passphrases differ; nothing was changed. Try again."))
    return first
