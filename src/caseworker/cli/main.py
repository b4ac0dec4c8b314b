"""``caseworker``: parse the command line, run one command, turn faults into exit codes.

Exit codes: 0 success; 1 a fault with one clear line on stderr (a user error, an environment
fault, or a bug, for which a crash report is written); 2 a usage error. No traceback reaches the
terminal for a foreseeable fault.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from caseworker import __version__, i18n
from caseworker.cli import commands_counts, commands_dhis2, commands_directory, commands_reports, commands_store, commands_sync, commands_users
from caseworker.cli.context import Context
from caseworker.cli.crash import write_crash_report
from caseworker.errors import CaseworkerError, UserError
from caseworker.i18n import t
from caseworker.paths import HomePaths, resolve_home
from caseworker.settings import load as load_settings

LANG_ENV = "CASEWORKER_LANG"

# Each module adds its sub-commands with ``register(subparsers)``.
COMMAND_MODULES = [commands_store, commands_users, commands_counts, commands_directory, commands_reports, commands_sync, commands_dhis2]


# argparse words its own texts (usage, option headings, errors) through gettext; ours come from
# the catalogue instead, so that they follow the chosen language too.
argparse._ = i18n.translate  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {t('usage error')}: {message}\n")


# Options for the whole program that may stand before or after the command
# (``caseworker --lang en counts show 2026-10`` or ``caseworker counts show 2026-10 --lang en``).
def _global_options() -> dict[str, dict]:
    return {
        "--home": {"metavar": "DIR", "help": t("folder of the store (default: CASEWORKER_HOME or the user data folder)")},
        "--lang": {"choices": i18n.LANGUAGES, "help": t("language of messages (default: the setting, Turkish)")},
    }


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="caseworker", description=t("Caseworker: statistics and service directory for women's counselling centres."))
    parser.add_argument("--version", action="version", version=f"caseworker {__version__}", help=t("show program's version number and exit"))
    for option, settings in _global_options().items():
        parser.add_argument(option, **settings)
    parser.add_argument("--demo", action="store_true", help=t("open the GUI on a throw-away store with sample data"))
    parser.add_argument("--coordinator", action="store_true", help=t("with --demo: the coordinator's demo, İzmir's 30 districts with two years of their centres' bundles"))
    parser.add_argument("--self-test", action="store_true", help=t("check that this installation has every part it needs, then exit"))
    subparsers = parser.add_subparsers(dest="command", metavar=t("COMMAND"), parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    _accept_global_options_after_the_command(parser)
    return parser


def _accept_global_options_after_the_command(parser: argparse.ArgumentParser) -> None:
    """Every sub-command takes the global options too, except one it has of its own (``--lang``
    of a report or a sheet is the language of the document; it then sets the messages' language
    as well, see _choose_language). Absent after the command, they set nothing, so a value
    given before the command stands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in {id(p): p for p in action.choices.values()}.values():
                for option, settings in _global_options().items():
                    if option not in sub._option_string_actions:
                        sub.add_argument(option, default=argparse.SUPPRESS, **settings)
                _accept_global_options_after_the_command(sub)


def _choose_language(argv: Sequence[str]) -> None:
    """Set the language before the parser is built, so that its help is translated too."""
    language = None
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            language = argv[index + 1]
        elif arg.startswith("--lang="):
            language = arg.split("=", 1)[1]
    if language not in i18n.LANGUAGES:
        language = os.environ.get(LANG_ENV)
    if language not in i18n.LANGUAGES:
        home = None
        for index, arg in enumerate(argv):
            if arg == "--home" and index + 1 < len(argv):
                home = argv[index + 1]
            elif arg.startswith("--home="):
                home = arg.split("=", 1)[1]
        language = load_settings(HomePaths(resolve_home(home)).settings).language
    i18n.set_language(language)


# Exit code when the reader of our output went away (``caseworker … | head -1``): what a program
# ended by SIGPIPE gives in a shell (128 + 13), quietly, without an error line or a crash report.
CLOSED_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows at the last write; here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The standard way (Python's signal documentation): point stdout at devnull so that the
        # flush at exit does not fail again, and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return CLOSED_PIPE


def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        _choose_language(argv)
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    context = Context(home=resolve_home(args.home), out=sys.stdout, err=sys.stderr)
    try:
        if args.self_test:
            from caseworker.selftest import report_lines, run_checks

            results = run_checks()
            for line in report_lines(results):
                print(line)
            return 0 if all(r.ok for r in results) else 1
        if args.coordinator and (not args.demo or args.command is not None):
            raise UserError(t("--coordinator goes with --demo alone: caseworker --demo --coordinator opens the coordinator's demo."))
        if args.command is None:
            from caseworker.cli.gui import launch

            return launch(context, demo=args.demo, coordinator=args.coordinator)
        return int(args.handler(context, args) or 0)
    except CaseworkerError as error:
        said = error.message + (" " + t("On the command line: {command}", command=error.command) if error.command else "")
        print(f"caseworker: {said}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise  # the reader of our output went away: main() ends quietly
    except KeyboardInterrupt:
        print(f"caseworker: {t('interrupted; nothing more was changed.')}", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one line here, the details in a crash report
        report = write_crash_report(context.home, error)
        print(
            f"caseworker: {t('unexpected internal error ({kind}); a crash report was written to {path}. Please send it to your coordinator.', kind=type(error).__name__, path=report)}",
            file=sys.stderr,
        )
        return 1
