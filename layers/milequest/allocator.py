"""glibc's allocator settings for every process that runs the API's handlers: the Lambda
functions (infra/function_roles.py puts them in each function's environment), the local server
and the benchmark, which start themselves again with them when started without
(docs/architecture.md#memory).

By default glibc gives each allocation over 128 KiB its own mapping and returns it to the
system when it is freed, and trims the heap's top past 128 KiB free: a handler that builds a
large answer (the heavy user's data export: 1.5 MB of UTF-8, which Python holds as 6 MB once an
emoji is in it, decoded, then copied into the envelope) gets fresh pages from the kernel for
each of those copies on every request. On the Firecracker VM the benchmark runs on (Lambda's
hypervisor too) those first touches cost more than the copies: with allocations below 64 MiB
served from the heap and the heap kept up to 128 MiB free, the export answered in 16.7-19.2 ms
instead of 24.6-27.7 (three alternated process pairs). Either setting alone changed nothing: the
chunks then come from the heap but its top is trimmed, or are kept mapped only per chunk. What
it costs is memory a process keeps after its largest answer, well inside every function's size.
"""

from __future__ import annotations

import os
import sys

ENVIRONMENT = {
    "MALLOC_MMAP_THRESHOLD_": str(64 * 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": str(128 * 1024 * 1024),
}


def restart_with_settings() -> None:
    """Start this process's command again, in this process (same pid, same pipes), with
    ENVIRONMENT, unless it already has it: glibc reads the settings once, when a process
    starts."""
    if all(os.environ.get(k) == v for k, v in ENVIRONMENT.items()):
        return
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, **ENVIRONMENT})
