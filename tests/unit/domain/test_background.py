"""Work started in the background gives its value, or its error, to whoever waits for it."""

from __future__ import annotations

import threading

import pytest

from milequest.domain import background


def test_the_result_is_the_functions_value_computed_off_the_calling_thread() -> None:
    caller = threading.get_ident()
    pending = background.start(lambda a, b=0: (a + b, threading.get_ident()), 2, b=3)
    value, worker = pending.result(timeout=5)
    assert value == 5
    assert worker != caller


def test_an_error_in_the_work_is_raised_where_the_result_is_taken() -> None:
    def fails() -> None:
        raise ValueError("no sample")

    pending = background.start(fails)
    with pytest.raises(ValueError, match="no sample"):
        pending.result(timeout=5)
    # the worker survives a failed task
    assert background.start(lambda: "next").result(timeout=5) == "next"
