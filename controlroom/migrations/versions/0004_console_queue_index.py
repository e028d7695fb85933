"""console: index for the review queue's order (FAILED items by failure time)

Revision ID: 0004_console_queue_index
Revises: 0003_audit_append_only
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_console_queue_index"
down_revision: str | None = "0003_audit_append_only"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_work_items_state_updated", "work_items", ["state", "updated_at", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_work_items_state_updated", table_name="work_items")
