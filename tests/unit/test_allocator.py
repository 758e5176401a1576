"""The allocator settings every process running the handlers has (docs/architecture.md#memory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from milequest.allocator import ENVIRONMENT

# Says on stderr each time it starts, then what it runs with on stdout.
_PROBE = (
    "import json, os, sys; print('start', file=sys.stderr, flush=True); "
    "from milequest.allocator import restart_with_settings; restart_with_settings(); "
    "print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]}))"
)


def _run(env: dict[str, str]) -> tuple[int, dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *ENVIRONMENT],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stderr.count("start"), json.loads(done.stdout)


def test_a_process_started_without_the_settings_starts_again_with_them() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    starts, seen = _run(env)
    assert (starts, seen) == (2, ENVIRONMENT)


def test_a_process_that_has_them_goes_on_as_it_is() -> None:
    starts, seen = _run({**os.environ, **ENVIRONMENT})
    assert (starts, seen) == (1, ENVIRONMENT)


def test_the_settings_keep_large_answers_on_the_heap_and_the_heap_kept() -> None:
    mmap_threshold = int(ENVIRONMENT["MALLOC_MMAP_THRESHOLD_"])
    trim_threshold = int(ENVIRONMENT["MALLOC_TRIM_THRESHOLD_"])
    # A 5 MiB export, held as 4 bytes a character, stays under the threshold.
    assert mmap_threshold >= 4 * 5 * 1024 * 1024
    assert trim_threshold >= mmap_threshold
