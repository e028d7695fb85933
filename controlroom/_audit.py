"""The append-only, hash-chained audit log.

Every state change and every human/API action calls ``append`` inside the same
transaction as the change itself, so the log and the data cannot disagree. Each row's
``hash = sha256(prev_hash + canonical_json(row))`` where the canonical JSON covers
``seq, at, actor, action, entity, entity_id, before, after, correlation_id`` with sorted
keys and no whitespace; the first row's ``prev_hash`` is 64 zeros. Changing, removing or
reordering any row breaks every later hash (``entry_hash`` recomputes one row's).

Appends are serialized so the chain never forks: SQLite already has one writer at a time
(``BEGIN IMMEDIATE``), PostgreSQL takes a transaction-scoped advisory lock.

``append`` takes that lock at once (the caller gets the flushed row back). The queue's hot
path (reserve, release) uses ``append_at_commit`` instead: the row is chained and inserted
by a ``before_commit`` hook, the transaction's last statements, so on PostgreSQL the
chain lock is held only for that insert and the commit, and concurrent robots holding
different items no longer queue behind each other for their whole transaction. It is
still the same transaction: the row commits with the change or not at all.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Table, bindparam, event, func, insert, select
from sqlalchemy.orm import Session

from controlroom._db_types import utcnow
from controlroom._driver_sql import Prepared
from controlroom.models import AuditEntry

GENESIS_HASH = "0" * 64
# Arbitrary constant naming the audit chain's PostgreSQL advisory lock.
_PG_AUDIT_LOCK = 0x434C45524B  # "CLERK"
_PENDING = "clerk_audit_pending"
# Built once: constructing statements costs more than running them on the hot path.
# Core (table columns, not ORM attributes): the ORM paths cost more than the statements.
# Run on the driver connection (``_driver_sql``): SQLAlchemy's execution path costs more.
_TABLE = cast(Table, AuditEntry.__table__)
_LAST = Prepared(select(_TABLE.c.seq, _TABLE.c.hash).order_by(_TABLE.c.seq.desc()).limit(1))
_INSERT = Prepared(insert(_TABLE).values({c.key: bindparam(c.key) for c in _TABLE.c}))
_PG_LOCK = Prepared(select(func.pg_advisory_xact_lock(bindparam("key", type_=BigInteger))))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(at: datetime) -> str:
    # Microsecond ISO form in UTC: both databases round-trip it exactly.
    return at.isoformat(timespec="microseconds")


def entry_body(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": _timestamp(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "correlation_id": entry.correlation_id,
    }


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry_body(entry))).encode()).hexdigest()


def append(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    correlation_id: str | None = None,
) -> AuditEntry:
    """Add one audit row to the session's transaction and return it (flushed)."""
    seq, prev_hash = _lock_and_last(session)
    entry = AuditEntry(
        seq=seq + 1,
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        # Round-trip through JSON so what is hashed is exactly what the database returns.
        before=json.loads(canonical_json(before)) if before is not None else None,
        after=json.loads(canonical_json(after)) if after is not None else None,
        correlation_id=correlation_id,
        prev_hash=prev_hash,
        hash="",
    )
    entry.hash = entry_hash(prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


def _lock_and_last(session: Session) -> tuple[int, str]:
    """Take the chain lock (PostgreSQL) and return the last (seq, hash)."""
    if session.connection().dialect.name == "postgresql":
        _PG_LOCK.first(session, {"key": _PG_AUDIT_LOCK})
    last = _LAST.first(session)
    return (last["seq"], last["hash"]) if last else (0, GENESIS_HASH)


def append_at_commit(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    correlation_id: str | None = None,
) -> None:
    """Like ``append``, but chained and inserted just before the transaction commits.

    ``before`` and ``after`` must hold JSON values only (str, int, bool, None, lists,
    dicts): they are hashed as given, with no round trip through JSON.
    """
    session.info.setdefault(_PENDING, []).append(
        {
            "at": utcnow(),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": before,
            "after": after,
            "correlation_id": correlation_id,
        }
    )


# Listening on the Session class once: per-session listeners cost more to register than
# the whole audit insert. Both hooks are a dict lookup for sessions with nothing pending.
@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "before_commit")
def _flush_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return
    session.flush()  # the changes the rows describe go first
    seq, prev_hash = _lock_and_last(session)
    for row in rows:
        seq += 1
        body = {**row, "seq": seq, "at": _timestamp(row["at"])}
        row["seq"], row["prev_hash"] = seq, prev_hash
        row["hash"] = prev_hash = hashlib.sha256(
            (prev_hash + canonical_json(body)).encode()
        ).hexdigest()
    _INSERT.execute_many(session, rows)
