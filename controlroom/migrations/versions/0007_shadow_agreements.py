"""console: shadow_agreements, the current models' and a shadow candidate's agreement
with reviewers per approved item

Revision ID: 0007_shadow_agreements
Revises: 0006_vendor_memory
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_shadow_agreements"
down_revision: str | None = "0006_vendor_memory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shadow_agreements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("work_item_id", sa.String(length=36), nullable=False),
        sa.Column("current_classifier", sa.String(length=200), nullable=False),
        sa.Column("current_extractor", sa.String(length=200), nullable=False),
        sa.Column("candidate_classifier", sa.String(length=200), nullable=False),
        sa.Column("candidate_extractor", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.Integer(), nullable=False),
        sa.Column("current_agreed", sa.Integer(), nullable=False),
        sa.Column("candidate_agreed", sa.Integer(), nullable=False),
        sa.Column("type_current_agreed", sa.Boolean(), nullable=False),
        sa.Column("type_candidate_agreed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_item_id"],
            ["work_items.id"],
            name=op.f("fk_shadow_agreements_work_item_id_work_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shadow_agreements")),
    )
    op.create_index("ix_shadow_agreements_created", "shadow_agreements", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_shadow_agreements_created", table_name="shadow_agreements")
    op.drop_table("shadow_agreements")
