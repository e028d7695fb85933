"""Bounds on the numbers callers give the Control Room, in one place so every entry point
(HTTP API, console, CLI, settings) refuses the same values.

A retry policy past these bounds used to overflow (``timedelta(seconds=1e308)``) in the
middle of a release or a scheduling tick; the policy code also clamps to them, so a row
written before they existed cannot overflow either.
"""

from __future__ import annotations

MAX_ATTEMPTS = 100
MAX_BACKOFF_SECONDS = 30 * 24 * 3600.0  # thirty days
MAX_BACKOFF_FACTOR = 10.0
DAY_SECONDS = 24 * 3600  # the upper bound of every interval setting (timeouts, TTLs)
MAX_WORKER_CONCURRENCY = 256
# Defaults of CLERK_MAX_RUN_ITEMS and CLERK_MAX_PROCESS_STEPS: a run's inputs are written
# in one transaction, which holds SQLite's write lock (heartbeats wait behind it); a
# process's steps are listed on every scheduling tick and in /metrics.
DEFAULT_MAX_RUN_ITEMS = 1000
DEFAULT_MAX_PROCESS_STEPS = 50
