"""Clerk's on-premises Control Room: a self-hosted replacement for Robocorp's.

A robot written for Robocorp's Control Room runs against this one unchanged: only the
``RC_*`` environment variables point at it. The stock ``robocorp-workitems`` client talks
to ``controlroom.api._robocorp``; people and scripts use the JSON operator API
(``/api/v1``, OpenAPI at ``/openapi.json``) or the ``clerk`` CLI on the host.

Store (``controlroom.models``, migrations in ``controlroom/migrations``)::

    workspaces -< processes -< process_steps (position, robot_dir, task_name, retry policy)
    processes -< process_runs -< step_runs (state, worker, times, exit code) -< artifacts
    process_runs -< work_items (step, parent, state, payload, exception, attempts,
                                reserved_by/at, released_at, available_at, rejected_*)
    work_items -< files (name, size, sha256, blob key)   tokens (sha256 of secret, kind)
    workers (heartbeat, state, concurrency)   users (console)   audit_log (hash chain)

An output created by step N is an input of step N+1 of the same run, with ``parent_id``
pointing at the item it came from; it is served to step N+1 only once that parent is no
longer IN_PROGRESS (its files are complete). Outputs of the last step are stored
COMPLETED. Blobs (work-item files, logs, artifacts) live in a content-addressed
directory keyed by sha256 and are verified on every read (a damaged blob is a 500
``BLOB_UNAVAILABLE`` naming the file, never wrong bytes).

Item lifecycle: PENDING -> IN_PROGRESS (reserved by a step run, ``attempts`` + 1) ->
COMPLETED | FAILED. An APPLICATION failure goes back to PENDING with ``available_at``
pushed out by exponential backoff until the step's ``max_attempts``, then stays FAILED.
``max_attempts`` counts attempts, not retries: 3 means two automatic retries. BUSINESS
failures wait for a person, who can retry (optionally with an edited payload) or reject
(stays FAILED, ``rejected_at`` set: terminal). A retried item keeps its id and attempt
count. When a step run's task passes, items it left IN_PROGRESS are marked COMPLETED (as
Robocorp's Control Room does); when it fails or crashes they go back to PENDING, or
FAILED/ORCHESTRATOR ``RETRIES_EXHAUSTED`` once the step's attempts are used up
(``ROBOT_DIED`` when the step allows a single attempt): ``services._step_end``.

Throughput: the robots' reserves and releases are group-committed (``api._write_batch``:
concurrent requests share one transaction), run as statements prepared for the driver
(``_driver_sql``), and a server on SQLite copies its write-ahead log back in the
background (``_wal_checkpoints``), not inside a robot's COMMIT.

Security: bearer tokens are stored as sha256 of a 256-bit secret and scoped to a
workspace; a step run's token reaches only its own run and is revoked when the step run
ends. The two file-transfer URLs the stock client calls without a token carry an
HMAC-SHA256 signature over method, path and expiry (``controlroom._signing``). Every
request gets an ``X-Correlation-ID`` (taken from the request or generated, echoed back,
logged); every work item has its own correlation id, shared with its outputs.
Errors are ``{"error": {"code", "message"}}`` with 400/401/403/404/409/413 as fits.

Configuration (``controlroom.settings.ControlRoomSettings``), all optional:

    CLERK_HOME                 base folder (default ``~/.clerk``)
    CLERK_DATABASE_URL         default ``sqlite:///$CLERK_HOME/controlroom/controlroom.db``;
                               PostgreSQL: ``postgresql+psycopg://user@host/db``
    CLERK_FILES_DIR            blob store (default ``$CLERK_HOME/controlroom/files``)
    CLERK_CONTROLROOM_HOST     listen address (default ``127.0.0.1``)
    CLERK_CONTROLROOM_PORT     listen port (default ``8765``)
    CLERK_CONTROLROOM_URL      public base URL put into signed file URLs (default: the
                               URL the request came in on; set it behind a proxy)
    CLERK_SIGNING_KEY          HMAC key for signed file URLs (default: generated once,
                               kept in ``$CLERK_HOME/controlroom/signing.key``, mode 0600)
    CLERK_SIGNED_URL_TTL       seconds a signed file URL stays valid (default 300)
    CLERK_MAX_PAYLOAD_BYTES    largest JSON body/payload accepted (default 1 MiB)
    CLERK_MAX_FILE_BYTES       largest work-item file accepted (default 100 MiB); also
                               caps a whole multipart run-start request
    CLERK_MAX_RUN_ITEMS        input items one run start may carry (default 1000)
    CLERK_MAX_PROCESS_STEPS    steps a process may have (default 50)
    CLERK_RETRY_MAX_ATTEMPTS   default per-step attempts for APPLICATION failures (3)
    CLERK_RETRY_BACKOFF_SECONDS  first retry delay (default 30)
    CLERK_RETRY_BACKOFF_FACTOR   delay multiplier per attempt (default 2)
    CLERK_RETRY_MAX_BACKOFF_SECONDS  delay cap (default 3600)
                               (bounds, here and on every step: ``controlroom._limits``)
    CLERK_WORKSPACE            workspace the CLI works in (default ``default``)
    CLERK_ARTIFACT_RETENTION_DAYS  days a step run's logs and artifacts are kept after it
                               ended (default 30; 0 keeps them); see services.retention

Public modules: ``api`` (``create_app``), ``worker``, ``console`` (``install``),
``services``, ``models``, ``db``, ``files``, ``settings``, ``states``, ``server`` (run
with ``python -m controlroom.server``), ``migrations`` (alembic) and the CLI modules
(``cli``, ``cli_support``, ``audit_cli``, ``items_cli``, ``tokens_cli``, ``users_cli``,
``workers_cli``). The ``_*`` modules (``_audit``, ``_background``, ``_console_models``,
``_db_types``, ``_driver_sql``, ``_limits``, ``_logs``, ``_metrics``, ``_signing``,
``_wal_checkpoints``) are private: only ``controlroom`` and its subpackages import them.

This package imports nothing heavy at import time: ``clerk`` loads ``controlroom.cli``
on start-up, and SQLAlchemy/FastAPI are imported inside the commands.
"""

from __future__ import annotations

from controlroom.states import (
    ExceptionType,
    ItemState,
    RunState,
    StepRunState,
    TokenKind,
    UserRole,
    WorkerState,
)

__all__ = [
    "ExceptionType",
    "ItemState",
    "RunState",
    "StepRunState",
    "TokenKind",
    "UserRole",
    "WorkerState",
]
