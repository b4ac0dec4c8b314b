"""The frozen application's entry point: the same ``caseworker`` command as an installed package.

With no arguments it opens the window; any argument (``--self-test``, ``--version``, a
sub-command) works as on the command line.
"""

import multiprocessing
import os
import sys

from caseworker.cli.main import main

if __name__ == "__main__":
    # A large import opens bundles in a second process of this same program (app/bundle_opening.py).
    multiprocessing.freeze_support()
    # The windowed Windows program (caseworkerw.exe) has no console: give messages somewhere to go.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.exit(main())
