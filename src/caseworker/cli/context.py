"""What every command gets: the home folder and the output streams, and how to open a session."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO

from caseworker.app.session import Session, unlock
from caseworker.cli import unlock as unlock_cli
from caseworker.i18n import t


@dataclass
class Context:
    home: Path
    out: TextIO
    err: TextIO

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """Unlock the store with the credentials of the environment or a prompt."""
        session = unlock(self.home, unlock_cli.credentials())
        try:
            yield session
        finally:
            session.close()

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def note(self, text: str) -> None:
        """A remark for the person (stderr), kept apart from the command's output."""
        print(text, file=self.err)

    def usage_error(self, text: str) -> NoReturn:
        """Arguments that do not go together: said as argparse says it, exit code 2."""
        print(f"caseworker: {t('usage error')}: {text}", file=self.err)
        raise SystemExit(2)
