"""Entry point for ``python -m caseworker``."""

from caseworker.cli.main import main

raise SystemExit(main())
