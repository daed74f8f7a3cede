"""Privacy allowances: identifiers the user chose to keep on an entry, by fingerprint.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_allowance",
        sa.Column("record_uid", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("door", sa.String(length=20), nullable=False),
        sa.Column("allowed_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("record_uid", "fingerprint", name=op.f("pk_privacy_allowance")),
    )


def downgrade() -> None:
    op.drop_table("privacy_allowance")
