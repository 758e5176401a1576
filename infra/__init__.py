"""MileQuest CDK app. The app imports the route registry, which imports the `milequest`
package from layers/: make that importable when the cdk CLI runs `python -m infra.app`
without the Makefile's PYTHONPATH."""

from __future__ import annotations

import sys
from pathlib import Path

_LAYERS = str(Path(__file__).resolve().parents[1] / "layers")
if _LAYERS not in sys.path:
    sys.path.append(_LAYERS)
