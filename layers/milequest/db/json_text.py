"""SQL expressions that render compact JSON text exactly as the API's Python serialisation
would, so that a large read can be built by PostgreSQL and passed through to the response
unparsed (`milequest.api.responses.Serialised`; docs/architecture.md#pre-serialised-responses).

Each helper takes an SQL expression and returns one yielding JSON text, never NULL (NULL is
`null`). Objects and arrays are assembled text rather than `json_build_object`/`json_agg`:
those put spaces around every `:` and `,` and a newline between array elements, which is not
the body the API sends and ~10% more bytes against the 6 MB Lambda response limit; they are
also twice as slow. Values are escaped by PostgreSQL (`to_json`), or are types whose text
needs no escaping (uuid, integer, boolean, numeric, dates); only keys are spliced in, and
they must be plain identifiers. `concat()` builds each object in one go: chaining `||` onto
a large text copies all of it at every step (a millisecond per step on a 1.5 MB export).
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# Python's `isoformat()`: microseconds as six digits, or none at all when they are zero
# (`to_json` trims their trailing zeros instead). `\"` puts the quotes in to_char's output.
_ISO = 'YYYY-MM-DD"T"HH24:MI:SS.US'
Field = tuple[str, str]  # a wire key and the SQL expression of its JSON text


def value(expr: str) -> str:
    """Text, date or jsonb, through `to_json` (jsonb keeps PostgreSQL's `": "` spacing: the
    same content as Python's compact dump, a few more bytes)."""
    return f"coalesce(to_json({expr})::text, 'null')"


def uuid(expr: str) -> str:
    return f"coalesce('\"' || ({expr})::text || '\"', 'null')"


def literal(expr: str) -> str:
    """An integer or a boolean: its text is its JSON (`true`, `false`, digits)."""
    return f"coalesce(({expr})::text, 'null')"


def timestamp(expr: str) -> str:
    """A timestamptz as `datetime.isoformat()` renders a UTC datetime (what psycopg loads in
    the application's UTC sessions): `+00:00`. The server function `json_utc_isoformat`
    (migrations/0870), which the walks' stored export entries use too, so that the whole
    document renders times one way; inlined by the planner, so it costs what the expression
    did."""
    return f"json_utc_isoformat({expr})"


def utc_timestamp(expr: str) -> str:
    """A timestamptz as pydantic renders an aware UTC datetime: `Z`, not `+00:00`."""
    return (
        f"coalesce(replace(to_char(({expr}) AT TIME ZONE 'UTC', '\\\"{_ISO}\"Z\"\\\"'), "
        "'.000000', ''), 'null')"
    )


def time_of_day(expr: str) -> str:
    """A time as `time.isoformat()` renders it."""
    return f"coalesce(replace(to_char({expr}, '\\\"HH24:MI:SS.US\\\"'), '.000000', ''), 'null')"


def decimal(expr: str) -> str:
    """A numeric as `float(Decimal)` then `json.dumps` render it: trailing zeros dropped, a
    whole number as `N.0`. Exact up to 15 significant digits (the numeric columns the API
    sends are at most numeric(16,3), far from 10^12 in practice), whatever the session's
    extra_float_digits. The server function `json_decimal` (migrations/0870), shared with the
    walks' stored export entries."""
    return f"json_decimal({expr})"


class ArrayText(str):
    """`array`'s expression (usable as it is anywhere), which also keeps its bare aggregate
    (NULL for no rows) so that `obj` can splice it."""

    aggregate: str


def _parts(fields: tuple[Field, ...]) -> tuple[list[str], dict[str, int]]:
    """`concat()`'s arguments for the object of `fields`, less its closing brace, and where
    among them each `array` field's aggregate is. An array's aggregate is spliced in (its
    brackets beside the key) instead of being a `concat` of its own: each `concat` copies its
    arguments' text once more, and an export's activities array is 1.5 MB (≈ 2.7 ms less for
    it, alternated, BENCHMARKS.md)."""
    parts: list[str] = []
    aggregates: dict[str, int] = {}
    for i, (key, expr) in enumerate(fields):
        if not _KEY.match(key):
            raise ValueError(f"JSON key {key!r} is not a plain identifier")
        opening = f'\'{"," if i else "{"}"{key}":'
        if isinstance(expr, ArrayText):
            # concat() reads a NULL (no rows) as empty text: `[]`, as the array's own gives.
            aggregates[key] = len(parts) + 1
            parts += [f"{opening}['", expr.aggregate, "']'"]
        else:
            parts += [f"{opening}'", expr]
    return parts, aggregates


def obj(*fields: Field) -> str:
    """A JSON object with the fields in this order."""
    parts, _ = _parts(fields)
    return f"concat({', '.join(parts)}, '}}')" if parts else "'{}'"


def obj_around(key: str, *fields: Field) -> tuple[str, str, str]:
    """`obj(*fields)` as three expressions whose texts, joined in order, are its text: all
    before the elements of the `array` field `key`, their aggregate (NULL when there are
    none), all after them. For an object whose one large array should reach the client
    without PostgreSQL copying it into the object (≈ 3 ms for 1.5 MB, alternated); the
    client joins the three."""
    parts, aggregates = _parts(fields)
    if key not in aggregates:
        raise ValueError(f"{key!r} is not an array field")
    at = aggregates[key]
    head, tail = parts[:at], [*parts[at + 1 :], "'}'"]
    return f"concat({', '.join(head)})", parts[at], f"concat({', '.join(tail)})"


def array(element: str, source: str, order_by: str) -> ArrayText:
    """A JSON array of `element` over the rows of `source` (FROM … WHERE …), in order."""
    aggregate = f"(SELECT string_agg({element}, ',' ORDER BY {order_by}) FROM {source})"
    text = ArrayText(f"concat('[', {aggregate}, ']')")
    text.aggregate = aggregate
    return text
