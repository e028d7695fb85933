"""audit.append chains every row to the one before it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from controlroom import _audit as audit
from controlroom.audit_cli import verify_chain
from controlroom.models import AuditEntry
from tests.unit.controlroom.conftest import World


def test_rows_chain_and_hash_their_content(world: World) -> None:
    with world.tx() as s:
        a = audit.append(
            s,
            "alice",
            "item.retry",
            "work_item",
            "i1",
            before={"state": "FAILED"},
            after={"state": "PENDING"},
            correlation_id="c1",
        )
        b = audit.append(s, "bob", "item.reject", "work_item", "i2", after={"n": 1.5})
    assert b.seq == a.seq + 1 and b.prev_hash == a.hash
    with world.tx() as s:
        stored = s.scalars(
            select(AuditEntry).where(AuditEntry.seq.in_([a.seq, b.seq])).order_by(AuditEntry.seq)
        ).all()
        assert [audit.entry_hash(e.prev_hash, e) for e in stored] == [a.hash, b.hash]
        stored[0].actor = "mallory"  # any edit changes the recomputed hash
        assert audit.entry_hash(stored[0].prev_hash, stored[0]) != a.hash
        s.rollback()


def test_rows_appended_at_commit_chain_after_immediate_ones(world: World) -> None:
    with world.tx() as s:
        audit.append_at_commit(s, "robot", "item.reserve", "work_item", "i1", after={"attempts": 1})
        now = audit.append(s, "bob", "item.retry", "work_item", "i2")
        audit.append_at_commit(s, "robot", "item.release", "work_item", "i1", before=None)
    with world.tx() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.seq >= now.seq).order_by(AuditEntry.seq)
        ).all()
        assert [(r.action, r.entity_id) for r in rows] == [
            ("item.retry", "i2"),
            ("item.reserve", "i1"),
            ("item.release", "i1"),
        ]
        assert rows[1].after == {"attempts": 1} and rows[1].prev_hash == now.hash
        assert verify_chain(s).ok


def test_rows_appended_at_commit_vanish_with_a_rollback(world: World) -> None:
    with world.tx() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(RuntimeError), world.tx() as s:
        audit.append_at_commit(s, "robot", "item.reserve", "work_item", "i1")
        raise RuntimeError("the change failed")
    with world.tx() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
        assert verify_chain(s).ok


def test_rows_appended_at_commit_hash_any_json_as_verify_recomputes_it(world: World) -> None:
    """Non-ASCII text, quotes, numbers, booleans and nulls: the hash made at commit is the
    one ``clerk audit verify`` recomputes from the stored row."""
    values = {"naïve": 'Grüße, 東京 "q" \\ b', "n": [1, 2.5, -3], "ok": True, "none": None}
    with world.tx() as s:
        first = audit.append(s, "bob", "item.retry", "work_item", "i0")
        audit.append_at_commit(s, "Zoë", "item.edit", "work_item", "i1", before=values, after={})
        audit.append_at_commit(s, "robot", "item.release", "work_item", "i2", correlation_id="c")
    with world.tx() as s:
        rows = s.scalars(
            select(AuditEntry).where(AuditEntry.seq > first.seq).order_by(AuditEntry.seq)
        ).all()
        assert [(r.seq, r.actor, r.before, r.after) for r in rows] == [
            (first.seq + 1, "Zoë", values, {}),
            (first.seq + 2, "robot", None, None),
        ]
        assert rows[0].prev_hash == first.hash and rows[1].prev_hash == rows[0].hash
        assert [audit.entry_hash(r.prev_hash, r) for r in rows] == [r.hash for r in rows]
        assert verify_chain(s).ok
