"""work_items: fewer index entries written by each reserve and release

On PostgreSQL every reserve and every release is an update that changes an indexed
column (``state``), so it is never a HOT update: each writes a new entry into every
index of the table, the ones whose columns did not change included. With seven indexes a
reserve+release cycle wrote fourteen entries. A partial index gets no entry for a row
outside its condition, and SQLite too skips a partial index whose condition a row does
not meet, so:

- ``ix_work_items_reserved_by`` and ``ix_work_items_parent`` hold only the rows that have
  a step run or a parent (every query on them compares the column with a value, which
  implies IS NOT NULL on both databases);
- ``ix_work_items_failed_facets`` holds only FAILED items: its one reader is the exception
  queue, which asks for FAILED items alone;
- ``ix_work_items_state_exc`` is dropped: the exception queue reads the facets index, and
  a listing by state reads ``ix_work_items_state_updated`` (state first) or the queue
  index (run, step, state).

A cycle now writes seven index entries on PostgreSQL.

Revision ID: 0009_work_items_lean_indexes
Revises: 0008_work_items_autovacuum
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009_work_items_lean_indexes"
down_revision: str | None = "0008_work_items_autovacuum"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ``state`` stays first in the FAILED-only index: without it SQLite reads each row of
# the exception queue's counts to check the state the index already guarantees.
_FACETS = ["state", "workspace_id", "rejected_at", "exception_type", "exception_code"]


def _partial(condition: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade() -> None:
    op.drop_index("ix_work_items_state_exc", table_name="work_items")
    for name, column in (
        ("ix_work_items_reserved_by", "reserved_by"),
        ("ix_work_items_parent", "parent_id"),
    ):
        op.drop_index(name, table_name="work_items")
        op.create_index(name, "work_items", [column], **_partial(f"{column} IS NOT NULL"))
    op.drop_index("ix_work_items_failed_facets", table_name="work_items")
    op.create_index(
        "ix_work_items_failed_facets", "work_items", _FACETS, **_partial("state = 'FAILED'")
    )


def downgrade() -> None:
    op.drop_index("ix_work_items_failed_facets", table_name="work_items")
    op.create_index("ix_work_items_failed_facets", "work_items", _FACETS)
    for name, column in (
        ("ix_work_items_reserved_by", "reserved_by"),
        ("ix_work_items_parent", "parent_id"),
    ):
        op.drop_index(name, table_name="work_items")
        op.create_index(name, "work_items", [column])
    op.create_index(
        "ix_work_items_state_exc", "work_items", ["state", "exception_type", "exception_code"]
    )
