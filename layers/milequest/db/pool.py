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
from typing import Any

import psycopg
from psycopg import pq

Connection = psycopg.Connection[Any]


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

    def lend(self) -> Connection:
        if not self._slots.acquire(timeout=self._wait):
            raise PoolExhausted("no database connection free")
        try:
            return self._healthy_idle() or self._connect()
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

    def _healthy_idle(self) -> Connection | None:
        while True:
            with self._lock:
                if not self._idle:
                    return None
                conn = self._idle.pop()  # newest first: the least likely to have been dropped
            if alive(conn):
                return conn
            close_quietly(conn)  # killed, timed out or failed over: try the next, then a new one


def alive(conn: Connection) -> bool:
    """Open, not broken, and answering: the check before a kept connection is reused."""
    if conn.closed or conn.broken:
        return False
    try:
        conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def close_quietly(conn: Connection) -> None:
    try:
        conn.close()
    except psycopg.Error:
        pass
