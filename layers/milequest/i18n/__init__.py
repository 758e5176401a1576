"""Localized texts from the message catalogs kept in this repository (docs/notifications.md).

The catalogs are gettext `.po` files under `milequest/locale/<locale>/LC_MESSAGES/`, read with
Babel when first needed and kept in memory: no compile step, so what is committed is what runs.
A message id is the English text itself (a `str.format` template with named fields); a message
missing from a catalog, or a translation whose fields do not fit, falls back to English. This
package imports nothing else of the project, so any layer may use it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

SUPPORTED: tuple[str, ...] = ("en", "pt-PT")
DEFAULT = "en"
_DIR = Path(__file__).resolve().parent.parent / "locale"
_LANG = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q=([0-9.]+))?\s*$")


def match_locale(value: str) -> str | None:
    """The supported locale `value` names, case-insensitively (`PT-pt` is `pt-PT`)."""
    wanted = value.strip().replace("_", "-").lower()
    return next((s for s in SUPPORTED if s.lower() == wanted), None)


def negotiate(accept_language: str | None) -> str:
    """The best supported locale for an Accept-Language header; English when none fits.

    A bare language matches its first supported region (`pt` is `pt-PT`)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")[:20]):
        m = _LANG.match(part)
        if not m:
            continue
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        if q > 0:
            ranked.append((-q, i, m.group(1)))
    for _, _, tag in sorted(ranked):
        exact = match_locale(tag)
        if exact:
            return exact
        lang = tag.split("-")[0].lower()
        by_lang = next((s for s in SUPPORTED if s.split("-")[0].lower() == lang), None)
        if by_lang:
            return by_lang
    return DEFAULT


@lru_cache(maxsize=len(SUPPORTED))
def _catalog(locale: str) -> dict[str, str]:
    path = _DIR / locale.replace("-", "_") / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    # babel is imported on the first translated text, not at import: most routes of the areas
    # that import this module never render one, and importing it costs each cold start.
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=locale.replace("-", "_"))
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def gettext(locale: str, msgid: str) -> str:
    return _catalog(locale).get(msgid) or msgid


def render(locale: str, msgid: str, **params: Any) -> str:
    """The message in `locale` with its fields filled; English when the translation breaks."""
    try:
        return gettext(locale, msgid).format_map(params)
    except (KeyError, IndexError, ValueError):
        return msgid.format_map(params)


def message_ids() -> set[str]:
    """Every message id of the English catalog (tests check each locale against it)."""
    from babel.messages.pofile import read_po  # on first use, as in _catalog

    path = _DIR / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return {str(m.id) for m in read_po(f) if m.id}


def translated_ids(locale: str) -> set[str]:
    return set(_catalog(locale))
