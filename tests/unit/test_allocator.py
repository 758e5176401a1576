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


_HEAP_PROBE = """
import ctypes, json, sys
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
held = bytearray(20 * 1024 * 1024)  # a 5 MiB export's text at 4 bytes a character
mapped = libc.mallinfo2().hblkhd
del held
print(json.dumps({"mapped": mapped, "kept": libc.mallinfo2().fordblks}))
"""


def _heap(env: dict[str, str]) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", _HEAP_PROBE], env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return dict(json.loads(out))


def test_with_the_settings_a_large_answer_comes_from_the_heap_and_its_room_is_kept() -> None:
    plain = _heap({k: v for k, v in os.environ.items() if k not in ENVIRONMENT})
    tuned = _heap({**os.environ, **ENVIRONMENT})
    # By default it is a mapping of its own (given back when freed) ...
    assert plain["mapped"] >= 20 * 1024 * 1024
    # ... with the settings, heap memory that stays the process's once freed.
    assert tuned["mapped"] < 1024 * 1024
    assert tuned["kept"] >= 20 * 1024 * 1024


def test_a_restarted_process_does_not_start_again_whatever_its_environment() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    starts, _ = _run({**env, "MILEQUEST_ALLOCATOR_RESTARTED": "1"})
    assert starts == 1
