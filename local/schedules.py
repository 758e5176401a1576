"""EventBridge schedule expressions, evaluated locally (UTC, like EventBridge rules).

`rate(5 minutes)`, `rate(1 hour)`, `rate(2 days)`; and `cron(min hour day-of-month month
day-of-week year)` with `*`, `?`, lists, ranges, steps and names (JAN-DEC, SUN-SAT; day-of-week
1-7 is SUN-SAT). `L`, `W` and `#` are not supported locally: such a field is an error (not a
name or number) rather than a schedule that silently never runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTH_NAMES = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC"
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_DAYS = {d: i + 1 for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}


@dataclass(frozen=True)
class Rate:
    every: timedelta

    def next_after(self, moment: datetime) -> datetime:
        return moment + self.every


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None  # None: any (the field was ? or *)
    months: frozenset[int]
    weekdays: frozenset[int] | None  # 1 = Sunday, as in EventBridge
    years: frozenset[int] | None

    def _day_matches(self, moment: datetime) -> bool:
        weekday = (moment.isoweekday() % 7) + 1  # Monday=1..Sunday=7 -> Sunday=1..Saturday=7
        return (
            moment.month in self.months
            and (self.years is None or moment.year in self.years)
            and (self.days is None or moment.day in self.days)
            and (self.weekdays is None or weekday in self.weekdays)
        )

    def next_after(self, moment: datetime) -> datetime:
        """First matching minute strictly after `moment`."""
        t = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = t + timedelta(days=366 * 5)
        while t < limit:
            if not self._day_matches(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in self.hours:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in self.minutes:
                t += timedelta(minutes=1)
            else:
                return t
        raise ValueError("cron expression never fires in the next five years")


Schedule = Rate | Cron


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    def number(text: str) -> int:
        value = (names or {}).get(text.upper()) if not text.isdigit() else int(text)
        if value is None or not low <= value <= high:
            raise ValueError(f"{text!r} is not in {low}-{high}")
        return value

    found: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"bad step in {part!r}")
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, last = base.split("-", 1)
            start, end = number(first), number(last)
        else:
            start = number(base)
            end = high if step_text else start
        found.update(range(start, end + 1, step))
    return found


def _cron(body: str) -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise ValueError("cron() needs 6 fields: minutes hours day-of-month month day-of-week year")
    minute, hour, dom, month, dow, year = fields
    if dom != "?" and dow != "?":
        raise ValueError("one of day-of-month and day-of-week must be '?'")
    return Cron(
        minutes=frozenset(_values(minute, 0, 59)),
        hours=frozenset(_values(hour, 0, 23)),
        days=None if dom in ("?", "*") else frozenset(_values(dom, 1, 31)),
        months=frozenset(_values(month, 1, 12, _MONTHS)),
        weekdays=None if dow in ("?", "*") else frozenset(_values(dow, 1, 7, _DAYS)),
        years=None if year in ("?", "*") else frozenset(_values(year, 1970, 2199)),
    )


def parse(expression: str) -> Schedule:
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        count, unit = int(rate.group(1)), rate.group(2).rstrip("s")
        if count < 1:
            raise ValueError("rate() needs a positive value")
        return Rate(timedelta(seconds=count * _UNITS[unit]))
    cron = _CRON.match(text)
    if cron:
        return _cron(cron.group(1))
    raise ValueError(f"not a schedule expression: {expression!r}")
