"""Record histories, deletions and merge conflicts, so merging two copies never loses an edit.

Nothing existing is rewritten: a record's history starts with the version it has now (worked
out when needed), and grows from the next edit.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_version",
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("uid", "version", name=op.f("pk_record_version")),
    )
    op.create_table(
        "deletion",
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_deletion")),
    )
    op.create_table(
        "merge_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("arrived_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_conflict")),
    )
    with op.batch_alter_table("merge_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_conflict_uid"), ["uid"], unique=False)


def downgrade() -> None:
    op.drop_table("merge_conflict")
    op.drop_table("deletion")
    op.drop_table("record_version")
