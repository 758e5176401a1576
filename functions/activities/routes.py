"""activities routes (registered in functions/registry.py)."""

from __future__ import annotations

from milequest.api.routing import Route

ROUTES: tuple[Route, ...] = ()
