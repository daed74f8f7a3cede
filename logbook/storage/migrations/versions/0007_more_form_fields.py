"""More fields the professional bodies' forms ask for: a supervision session's arrangement, the
settings it covered and, for a group, the supervisees contracted and the colleagues in it; the
end of a period of practice, the NMC registration it was under and a reflection on it; an
organisation's address; the participatory part of a CPD activity and whether it was CBT-related;
the address of whoever confirmed or discussed an attestation; an un-guided retreat agreed with
the supervisor; a pathway's hours of training; and whether a course was taught to a clinical
population.

Every column is added with a default that reads as empty (no text, an empty list, no number,
no date, not ticked; a reflection private), so the records already in the logbook read as they
did: a session's settings stay empty, which reads as its single setting. Columns are only added:
no table is rebuilt and no row is rewritten.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Flags default to a constant (SQLite stores it as the number 0 or 1): an expression as the
# default would make Alembic rebuild the table rather than add the column.
FALSE = "0"
TRUE = "1"


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=False, server_default=""))

    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("arrangement", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("group_contracted_size", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("group_member_uids", sa.Text(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("settings", sa.Text(), nullable=False, server_default="[]"))

    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("nmc_registration", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("reflection", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("reflection_private", sa.Boolean(), nullable=False, server_default=TRUE)
        )

    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("clinical_population", sa.Boolean(), nullable=False, server_default=FALSE)
        )

    with op.batch_alter_table("cpd", schema=None) as batch_op:
        batch_op.add_column(sa.Column("participatory_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("cbt_related", sa.Boolean(), nullable=False, server_default=FALSE)
        )

    with op.batch_alter_table("personal_practice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("supervisor_agreed", sa.Boolean(), nullable=False, server_default=FALSE)
        )

    with op.batch_alter_table("pathway", schema=None) as batch_op:
        batch_op.add_column(sa.Column("training_hours", sa.Double(), nullable=True))

    with op.batch_alter_table("attestation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("by_address", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("attestation", schema=None) as batch_op:
        batch_op.drop_column("by_address")

    with op.batch_alter_table("pathway", schema=None) as batch_op:
        batch_op.drop_column("training_hours")

    with op.batch_alter_table("personal_practice", schema=None) as batch_op:
        batch_op.drop_column("supervisor_agreed")

    with op.batch_alter_table("cpd", schema=None) as batch_op:
        batch_op.drop_column("cbt_related")
        batch_op.drop_column("participatory_minutes")

    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("clinical_population")

    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("reflection_private")
        batch_op.drop_column("reflection")
        batch_op.drop_column("nmc_registration")
        batch_op.drop_column("end_date")

    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.drop_column("settings")
        batch_op.drop_column("group_member_uids")
        batch_op.drop_column("group_contracted_size")
        batch_op.drop_column("arrangement")

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("address")
