"""The append-only, hash-chained audit log.

Every state change and every human/API action calls ``append`` inside the same
transaction as the change itself, so the log and the data cannot disagree. Each row's
``hash = sha256(prev_hash + canonical_json(row))`` where the canonical JSON covers
``seq, at, actor, action, entity, entity_id, before, after, correlation_id`` with sorted
keys and no whitespace; the first row's ``prev_hash`` is 64 zeros. Changing, removing or
reordering any row breaks every later hash (``entry_hash`` recomputes one row's).

Appends are serialized so the chain never forks: SQLite already has one writer at a time
(``BEGIN IMMEDIATE``), PostgreSQL takes a transaction-scoped advisory lock.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from controlroom.models import AuditEntry
from controlroom.types import utcnow

GENESIS_HASH = "0" * 64
# Arbitrary constant naming the audit chain's PostgreSQL advisory lock.
_PG_AUDIT_LOCK = 0x434C45524B  # "CLERK"


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
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS_HASH
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
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
