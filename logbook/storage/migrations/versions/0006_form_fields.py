"""Fields the professional bodies' forms ask for: the methods of a supervision session; the NMC
work setting and scope of practice of practice entries; the HCPC activity type, NMC Code themes
and benefit to the people worked with of a CPD activity; the email and category of whoever
confirmed or discussed an attestation.

Every column is added with a default that reads as empty (no choice, an empty list, no text),
so the records already in the logbook read as they did. Columns are only added: no table is
rebuilt and no row is rewritten.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("methods", sa.Text(), nullable=False, server_default="[]"))

    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nmc_work_setting", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("nmc_scope", sa.String(length=40), nullable=True))

    with op.batch_alter_table("cpd", schema=None) as batch_op:
        batch_op.add_column(sa.Column("learning_type", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("code_themes", sa.Text(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("impact", sa.Text(), nullable=False, server_default=""))

    with op.batch_alter_table("attestation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmer_category", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("by_email", sa.String(length=300), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("attestation", schema=None) as batch_op:
        batch_op.drop_column("by_email")
        batch_op.drop_column("confirmer_category")

    with op.batch_alter_table("cpd", schema=None) as batch_op:
        batch_op.drop_column("impact")
        batch_op.drop_column("code_themes")
        batch_op.drop_column("learning_type")

    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("nmc_scope")
        batch_op.drop_column("nmc_work_setting")

    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.drop_column("methods")
