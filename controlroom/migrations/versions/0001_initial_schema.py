"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('correlation_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=400), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'operator', 'reviewer', 'viewer')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('workspaces',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspaces')),
    sa.UniqueConstraint('name', name=op.f('uq_workspaces_name'))
    )
    op.create_table('processes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workspace_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_processes_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processes')),
    sa.UniqueConstraint('workspace_id', 'name', name='uq_processes_ws_name')
    )
    op.create_table('workers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workspace_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('hostname', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('concurrency', sa.Integer(), nullable=False),
    sa.Column('labels', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('IDLE', 'BUSY', 'OFFLINE', 'DISABLED')", name=op.f('ck_workers_state')),
    sa.CheckConstraint('concurrency >= 1', name=op.f('ck_workers_concurrency')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_workers_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workers')),
    sa.UniqueConstraint('workspace_id', 'name', name='uq_workers_ws_name')
    )
    op.create_table('process_runs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workspace_id', sa.String(length=36), nullable=False),
    sa.Column('process_id', sa.String(length=36), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('started_by', sa.String(length=200), nullable=False),
    sa.Column('correlation_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')", name=op.f('ck_process_runs_state')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_process_runs_process_id_processes')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_process_runs_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_runs'))
    )
    with op.batch_alter_table('process_runs', schema=None) as batch_op:
        batch_op.create_index('ix_process_runs_process_created', ['process_id', 'created_at'], unique=False)

    op.create_table('process_steps',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('process_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('robot_dir', sa.Text(), nullable=False),
    sa.Column('task_name', sa.String(length=200), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('backoff_seconds', sa.Float(), nullable=False),
    sa.Column('backoff_factor', sa.Float(), nullable=False),
    sa.Column('max_backoff_seconds', sa.Float(), nullable=False),
    sa.CheckConstraint('max_attempts >= 1', name=op.f('ck_process_steps_max_attempts')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_process_steps_position')),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_process_steps_process_id_processes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_steps')),
    sa.UniqueConstraint('process_id', 'position', name='uq_process_steps_position')
    )
    op.create_table('step_runs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('process_run_id', sa.String(length=36), nullable=False),
    sa.Column('step_id', sa.String(length=36), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('worker_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exit_code', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.CheckConstraint("state IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED')", name=op.f('ck_step_runs_state')),
    sa.ForeignKeyConstraint(['process_run_id'], ['process_runs.id'], name=op.f('fk_step_runs_process_run_id_process_runs')),
    sa.ForeignKeyConstraint(['step_id'], ['process_steps.id'], name=op.f('fk_step_runs_step_id_process_steps')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_step_runs_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_runs'))
    )
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.create_index('ix_step_runs_run_step', ['process_run_id', 'step_id'], unique=False)
        batch_op.create_index('ix_step_runs_state_created', ['state', 'created_at'], unique=False)

    op.create_table('artifacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('step_run_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('log', 'artifact')", name=op.f('ck_artifacts_kind')),
    sa.ForeignKeyConstraint(['step_run_id'], ['step_runs.id'], name=op.f('fk_artifacts_step_run_id_step_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_artifacts')),
    sa.UniqueConstraint('step_run_id', 'name', name='uq_artifacts_step_run_name')
    )
    op.create_table('tokens',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('workspace_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('step_run_id', sa.String(length=36), nullable=True),
    sa.Column('worker_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('admin', 'api', 'worker', 'step-run')", name=op.f('ck_tokens_kind')),
    sa.ForeignKeyConstraint(['step_run_id'], ['step_runs.id'], name=op.f('fk_tokens_step_run_id_step_runs')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_tokens_worker_id_workers')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_tokens_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_tokens_token_hash'))
    )
    op.create_table('work_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('workspace_id', sa.String(length=36), nullable=False),
    sa.Column('process_run_id', sa.String(length=36), nullable=False),
    sa.Column('step_id', sa.String(length=36), nullable=False),
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('exception_type', sa.String(length=20), nullable=True),
    sa.Column('exception_code', sa.String(length=100), nullable=True),
    sa.Column('exception_message', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reserved_by', sa.String(length=36), nullable=True),
    sa.Column('reserved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rejected_by', sa.String(length=200), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('correlation_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("exception_type IS NULL OR exception_type IN ('BUSINESS', 'APPLICATION', 'ORCHESTRATOR')", name=op.f('ck_work_items_exception_type')),
    sa.CheckConstraint("state IN ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED')", name=op.f('ck_work_items_state')),
    sa.ForeignKeyConstraint(['created_by'], ['step_runs.id'], name=op.f('fk_work_items_created_by_step_runs')),
    sa.ForeignKeyConstraint(['parent_id'], ['work_items.id'], name=op.f('fk_work_items_parent_id_work_items')),
    sa.ForeignKeyConstraint(['process_run_id'], ['process_runs.id'], name=op.f('fk_work_items_process_run_id_process_runs')),
    sa.ForeignKeyConstraint(['reserved_by'], ['step_runs.id'], name=op.f('fk_work_items_reserved_by_step_runs')),
    sa.ForeignKeyConstraint(['step_id'], ['process_steps.id'], name=op.f('fk_work_items_step_id_process_steps')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_work_items_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_items'))
    )
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.create_index('ix_work_items_parent', ['parent_id'], unique=False)
        batch_op.create_index('ix_work_items_queue', ['process_run_id', 'step_id', 'state', 'available_at', 'id'], unique=False)
        batch_op.create_index('ix_work_items_reserved_by', ['reserved_by'], unique=False)
        batch_op.create_index('ix_work_items_state_exc', ['state', 'exception_type', 'exception_code'], unique=False)

    op.create_table('files',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('work_item_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_items.id'], name=op.f('fk_files_work_item_id_work_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_files')),
    sa.UniqueConstraint('work_item_id', 'name', name='uq_files_item_name')
    )


def downgrade() -> None:
    op.drop_table('files')
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_index('ix_work_items_state_exc')
        batch_op.drop_index('ix_work_items_reserved_by')
        batch_op.drop_index('ix_work_items_queue')
        batch_op.drop_index('ix_work_items_parent')

    op.drop_table('work_items')
    op.drop_table('tokens')
    op.drop_table('artifacts')
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_step_runs_state_created')
        batch_op.drop_index('ix_step_runs_run_step')

    op.drop_table('step_runs')
    op.drop_table('process_steps')
    with op.batch_alter_table('process_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_process_runs_process_created')

    op.drop_table('process_runs')
    op.drop_table('workers')
    op.drop_table('processes')
    op.drop_table('workspaces')
    op.drop_table('users')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity')

    op.drop_table('audit_log')
