"""The build's helper modules live in ``packaging/`` at the repository root (not an importable
package: the name belongs to the PyPI ``packaging`` library), so tests import them from there."""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
if str(PACKAGING) not in sys.path:
    sys.path.insert(0, str(PACKAGING))
