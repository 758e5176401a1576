"""A small lending pool for the local server: fail fast, heal at once.

psycopg_pool replaces a dead connection in a background worker, with backoff after failed
attempts, while the request waits for it; after a failover or killed backends every request
stalled for its whole timeout although the database took new connections at once. Here the
request itself does the work: a pooled connection that fails its check is closed and a new one
opened on the spot, and a database that refuses connections fails that request immediately
(the API answers 503) instead of after retries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from psycopg import pq

Connection = psycopg.Connection[Any]
T = TypeVar("T")


class PoolExhausted(psycopg.OperationalError):
    """Every connection is lent out and none came back in time: the API's 503, like a dead
    database, since the client may retry."""


class LendingPool:
    def __init__(self, connect: Callable[[], Connection], max_size: int, wait: float) -> None:
        self._connect = connect
        self._wait = wait
        self._slots = threading.BoundedSemaphore(max_size)
        self._lock = threading.Lock()
        self._idle: list[Connection] = []
        self._closed = False

    def lend(self, first: Callable[[Connection], T]) -> tuple[Connection, T]:
        """A connection and what `first`, the borrower's first statement, answered on it: on
        a kept connection that statement is the liveness check (see `first_on`)."""
        if not self._slots.acquire(timeout=self._wait):
            raise PoolExhausted("no database connection free")
        try:
            return self._healthy_idle(first) or _fresh(self._connect(), first)
        except BaseException:
            self._slots.release()
            raise

    def give_back(self, conn: Connection) -> None:
        try:
            reusable = (
                not self._closed
                and not conn.closed
                and not conn.broken
                and conn.info.transaction_status == pq.TransactionStatus.IDLE
            )
            if reusable:
                with self._lock:
                    self._idle.append(conn)
            else:
                close_quietly(conn)
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            close_quietly(conn)

    def _healthy_idle(self, first: Callable[[Connection], T]) -> tuple[Connection, T] | None:
        while True:
            with self._lock:
                if not self._idle:
                    return None
                conn = self._idle.pop()  # newest first: the least likely to have been dropped
            try:
                answered = first_on(conn, first)
            except BaseException:
                close_quietly(conn)
                raise
            if answered is not None:
                return answered
            close_quietly(conn)  # killed, timed out or failed over: try the next, then a new one


def select_one(conn: Connection) -> None:
    """The first statement of a borrower that has none of its own."""
    conn.execute("SELECT 1")


def first_on(conn: Connection, first: Callable[[Connection], T]) -> tuple[Connection, T] | None:
    """Run the borrower's first statement on a kept connection; None when the connection is
    dead (closed, broken, or it broke on that statement: killed, timed out, failed over).

    The statement is the liveness check: a round trip on the connection before the request
    relies on it, as `SELECT 1` was, with an answer the request needs anyway (the caller's
    users row). It must be a read in autocommit, so that running it again on a new connection
    changes nothing. An error that leaves the connection usable is the statement's own and
    is raised."""
    if conn.closed or conn.broken:
        return None
    try:
        return conn, first(conn)
    except psycopg.Error:
        if conn.closed or conn.broken:
            return None
        raise


def _fresh(conn: Connection, first: Callable[[Connection], T]) -> tuple[Connection, T]:
    try:
        return conn, first(conn)
    except BaseException:
        close_quietly(conn)
        raise


def close_quietly(conn: Connection) -> None:
    try:
        conn.close()
    except psycopg.Error:
        pass
