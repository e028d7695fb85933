"""Domain services: plain functions over a SQLAlchemy ``Session``, shared by the HTTP
API, the CLI and the console. Each validates before it writes, writes an audit row for
every change, and raises ``services.errors.ServiceError`` subclasses (with a stable code
and an HTTP status) on bad input.

    processes   workspaces, processes, steps, retry policy, robot.yaml task check
    runs        start a run with its input items; run state; listings
    steps       open/start a step run by hand (first item reserved, RC_* environment)
    queue       reserve, release, create outputs (what a robot does)
    queue_statements  the queue hot path's statements, prepared for the driver (driver_sql)
    items       operator actions: retry, edit and retry, reject; item listings
    itemfiles   work-item files over the content-addressed blob store
    review      the exception handler's actions: review locks, approve with corrections
                (the console and ``clerk items approve``), bulk retry, corrections export
    replace     replace a failed item's document file and retry it (the console)
    ids         a full id or a unique prefix of one, as the CLI takes them
"""
