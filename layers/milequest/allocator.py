"""glibc's allocator settings for every process that runs the API's handlers: the Lambda
functions (infra/function_roles.py puts them in each function's environment), the local server
and the benchmark, which start themselves again with them when started without
(docs/architecture.md#memory).

By default glibc gives each allocation over 128 KiB its own mapping and returns it to the
system when it is freed, and trims the heap's top past 128 KiB free: a handler that builds a
large answer (the heavy user's data export: 1.5 MB of UTF-8, which Python holds as 6 MB once an
emoji is in it, decoded, then copied into the envelope) gets fresh pages from the kernel for
each of those copies on every request. On the Firecracker VM the benchmark runs on (Lambda's
hypervisor too) those first touches cost more than the copies: with allocations below 32 MiB
served from the heap and the heap kept up to 128 MiB free, the export answered in 14.3 / 19.9
ms instead of 22.3 / 26.0 (alternated process pairs; 16.7-19.2 against 24.6-27.7 with a 64 MiB
threshold, more than glibc 2.33 accepts). Either setting alone changed nothing: the
chunks then come from the heap but its top is trimmed, or are kept mapped only per chunk. What
it costs is memory a process keeps after its largest answer, well inside every function's size.
"""

from __future__ import annotations

import os
import sys

ENVIRONMENT = {
    # 32 MiB: the most older glibc accepts (2.33 refuses more than HEAP_MAX_SIZE / 2, 32 MiB on
    # 64-bit, silently; Lambda's Amazon Linux 2023 has 2.34, this machine 2.36). It holds a
    # 5 MiB export's text at 4 bytes a character.
    "MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": str(128 * 1024 * 1024),
}


# Set by the restart itself: a process whose environment loses the settings again (a
# privileged binary's loader drops MALLOC_* variables) starts once more, not forever.
_RESTARTED = "MILEQUEST_ALLOCATOR_RESTARTED"


def restart_with_settings() -> None:
    """Start this process's command again, in this process (same pid, same pipes), with
    ENVIRONMENT, unless it already has it or was already started again: glibc reads the
    settings once, when a process starts."""
    if os.environ.get(_RESTARTED) or all(os.environ.get(k) == v for k, v in ENVIRONMENT.items()):
        return
    env = {**os.environ, **ENVIRONMENT, _RESTARTED: "1"}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
