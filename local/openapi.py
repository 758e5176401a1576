"""`make openapi`: print openapi.json generated from the route registry."""

from __future__ import annotations

import json

from functions.registry import ROUTES
from milequest.api.openapi import generate


def render() -> str:
    return json.dumps(generate(ROUTES), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
