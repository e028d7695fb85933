"""Domain services: plain functions over a SQLAlchemy ``Session``, shared by the HTTP
API, the CLI and the console. Every state change of items, runs, workers, users and
tokens lives here. Each validates before it writes, writes an audit row for every
change, and raises ``services.errors.ServiceError`` subclasses (with a stable code and
an HTTP status) on bad input. Callers run them in one transaction with the deadlock
retry (``controlroom.db.run_alone``).

    processes   workspaces, processes, steps, retry policy, robot.yaml task check
    runs        start and stop a run; run state; listings
    steps       open/start a step run by hand (first item reserved, RC_* environment)
    _step_end   end a step run and settle the items it left
    step_logs   a step run's console log and artifacts
    queue       reserve, release, create outputs (what a robot does)
    _queue_statements  the queue hot path's statements and the one reservation rule
    scheduling  the scheduler's tick: step runs the queues call for, finished runs
    workers     register, heartbeat, claim, finish; silent workers reaped
    items       operator actions: retry, edit and retry, reject; item listings; the
                locked FAILED item every action on a failure starts from
    itemfiles   work-item files over the content-addressed blob store
    review      the exception handler's actions: review locks, approve with corrections
                (the console and ``clerk items approve``), bulk retry, corrections export
    replace     replace a failed item's document file and retry it (the console)
    retype      read a failed item again as the type a reviewer chose (the console and
                ``clerk items retype``); the type kept as a correction
    _withdraw   withdraw the outputs of an attempt that did not finish
    _replay     a robot's request sent again after a restart lost its answer
    retention   step-run logs and artifacts expire after CLERK_ARTIFACT_RETENTION_DAYS
    users       console accounts (create, role, disable, password)
    tokens      bearer tokens: create, authenticate, revoke
    views, validation, ids, errors   rows as dicts, input checks, id prefixes, errors

The ``_*`` modules (``_queue_statements``, ``_review_rows``, ``_step_end``,
``_withdraw``, ``_replay``) are private to ``controlroom``: other packages call the public
modules above. Import the module you need (``from controlroom.services import runs``); the
package re-exports nothing, so importing it stays cheap.
"""

__all__: list[str] = []
