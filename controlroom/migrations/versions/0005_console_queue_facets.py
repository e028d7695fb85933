"""console: covering index for the review queue's counts per exception type and code

Revision ID: 0005_console_queue_facets
Revises: 0004_console_queue_index
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_console_queue_facets"
down_revision: str | None = "0004_console_queue_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_work_items_failed_facets",
        "work_items",
        ["state", "workspace_id", "rejected_at", "exception_type", "exception_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_work_items_failed_facets", table_name="work_items")
