"""vendor memory: where each vendor's documents of one layout print their fields

Revision ID: 0006_vendor_memory
Revises: 0005_console_queue_facets
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_vendor_memory"
down_revision: str | None = "0005_console_queue_facets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "vendor_memory",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("vendor_key", sa.String(length=200), nullable=False),
        sa.Column("vendor_name", sa.String(length=500), nullable=False),
        sa.Column("doc_type", sa.String(length=50), nullable=False),
        sa.Column("layout", sa.String(length=64), nullable=False),
        sa.Column("layout_tokens", _JSON, nullable=False),
        sa.Column("fields", _JSON, nullable=False),
        sa.Column("confirmations", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("taught_by", sa.String(length=200), nullable=False),
        sa.Column("taught_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_vendor_memory_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_memory")),
        sa.UniqueConstraint(
            "workspace_id", "vendor_key", "doc_type", "layout", name="uq_vendor_memory_entry"
        ),
    )
    op.create_index("ix_vendor_memory_doc_type", "vendor_memory", ["workspace_id", "doc_type"])


def downgrade() -> None:
    op.drop_index("ix_vendor_memory_doc_type", table_name="vendor_memory")
    op.drop_table("vendor_memory")
