"""audit.append chains every row to the one before it."""

from __future__ import annotations

from sqlalchemy import select

from controlroom import audit
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
