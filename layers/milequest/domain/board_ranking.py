"""Board arithmetic shared by the leaderboard routes and the dashboard: the local week or month
window, standard competition ranking and a board's top (docs/leaderboards.md).

No database access and no team or goal lookups: the dashboard's cold start imports this module,
not milequest.domain.leaderboards, whose routes read teams and goals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from milequest.db import leaderboards as boards_db
from milequest.db.rows import fields_of
from milequest.models.leaderboards import LeaderboardEntry

# Activities cannot be older than this (CHECK on activities.activity_at): "all time" from here.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# Timestamps may be up to 5 minutes in the future; an open end well past that.
OPEN_END = timedelta(days=1)

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime  # exclusive
    bounded: bool  # False for all time (the answer then shows no dates)


def local_window(period: str, tz: str, now: datetime) -> Window:
    """The current ISO week or month in `tz` (local midnights, so DST days stay whole)."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    if period == "week":
        first = today - timedelta(days=today.weekday())
        after = first + timedelta(days=7)
    elif period == "month":
        first = today.replace(day=1)
        after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        return Window(EPOCH, now + OPEN_END, bounded=False)
    return Window(_midnight(first, zone), _midnight(after, zone), bounded=True)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def competition_ranks(items: Sequence[T], distance: Callable[[T], float]) -> list[int]:
    """Standard competition ranking of items already sorted by distance desc: 1, 2, 2, 4."""
    ranks: list[int] = []
    for i, item in enumerate(items):
        tied = i > 0 and distance(item) == distance(items[i - 1])
        ranks.append(ranks[-1] if tied else i + 1)
    return ranks


def ranked(rows: Sequence[boards_db.MemberTotal]) -> list[LeaderboardEntry]:
    """One team's members as board entries, ordered and ranked."""
    return [entry(rank, r) for rank, r in ranked_rows(rows)]


def ranked_rows(
    rows: Sequence[boards_db.MemberTotal],
) -> list[tuple[int, boards_db.MemberTotal]]:
    """`ranked`'s order and ranks, before the rows become entries (the dashboard shows only
    the top of each board, and my own rank)."""
    ordered = sorted(rows, key=lambda r: (-r.distance, r.name.casefold(), str(r.user_id)))
    ranks = competition_ranks(ordered, lambda r: float(r.distance))
    return list(zip(ranks, ordered, strict=True))


@dataclass(frozen=True)
class BoardTop:
    """The first entries of one team's board, how many members it has, and my rank on it."""

    entries: list[tuple[int, boards_db.MemberTotal]]
    participants: int
    my_rank: int


def board_top(rows: Sequence[boards_db.TopTotal], size: int, me: UUID) -> BoardTop:
    """One team's `board_tops` rows as its first `size` entries, in `ranked`'s order and ranks
    (every member tied within the top is among the rows, so the order among them is the full
    board's), with the member count and my rank that the statement computed over everyone."""
    participants = rows[0].participants if rows else 0
    mine = next((r.rank for r in rows if r.user_id == me), None)
    # A live member is always on the board; the fallback only covers a concurrent leave.
    return BoardTop(
        entries=ranked_rows(rows)[:size],
        participants=participants,
        my_rank=mine if mine is not None else participants + 1,
    )


def entry(rank: int, row: boards_db.MemberTotal) -> LeaderboardEntry:
    return LeaderboardEntry.model_validate({**fields_of(row), "rank": rank})
