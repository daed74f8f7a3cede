"""Sign-off: append-only events, signed snapshots, known signers, requests and period summaries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:04:56.236810
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signoff_event",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=20), nullable=False),
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("target_uid", sa.String(length=36), nullable=False),
        sa.Column("target_revision", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=True),
        sa.Column("actor_name", sa.String(length=300), nullable=False),
        sa.Column("fingerprint", sa.String(length=19), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("request_uid", sa.String(length=36), nullable=True),
        sa.Column("batch_uid", sa.String(length=36), nullable=True),
        sa.Column("batch_label", sa.String(length=300), nullable=False),
        sa.Column("refers_to", sa.String(length=36), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("attachment_uid", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_signoff_event")),
        sa.UniqueConstraint("uid", name=op.f("uq_signoff_event_uid")),
    )
    with op.batch_alter_table("signoff_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_event_request_uid"), ["request_uid"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_signoff_event_target_uid"), ["target_uid"], unique=False
        )

    op.create_table(
        "signoff_identity",
        sa.Column("fingerprint", sa.String(length=19), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("registration_body", sa.String(length=100), nullable=False),
        sa.Column("registration_number", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("person_uid", sa.String(length=36), nullable=True),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.Column("confirmed_at", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_signoff_identity")),
    )
    op.create_table(
        "signoff_request",
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("logbook_id", sa.String(length=36), nullable=False),
        sa.Column("practitioner_name", sa.String(length=300), nullable=False),
        sa.Column("supervisor_name", sa.String(length=300), nullable=False),
        sa.Column("supervisor_fingerprint", sa.String(length=19), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("response_uid", sa.String(length=36), nullable=True),
        sa.Column("responded_at", sa.String(length=32), nullable=True),
        sa.Column("response_document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_signoff_request")),
        sa.UniqueConstraint("response_uid", name=op.f("uq_signoff_request_response_uid")),
    )
    with op.batch_alter_table("signoff_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_request_direction"), ["direction"], unique=False
        )

    op.create_table(
        "signoff_snapshot",
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("target_uid", sa.String(length=36), nullable=False),
        sa.Column("target_revision", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("captured_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("content_sha256", name=op.f("pk_signoff_snapshot")),
    )
    with op.batch_alter_table("signoff_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_snapshot_target_uid"), ["target_uid"], unique=False
        )

    op.create_table(
        "signoff_status",
        sa.Column("target_uid", sa.String(length=36), nullable=False),
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("workflow", sa.String(length=20), nullable=True),
        sa.Column("workflow_revision", sa.Integer(), nullable=True),
        sa.Column("signed_revision", sa.Integer(), nullable=True),
        sa.Column("paper_revision", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("target_uid", name=op.f("pk_signoff_status")),
    )
    with op.batch_alter_table("signoff_status", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signoff_status_target_kind"), ["target_kind"], unique=False
        )

    op.create_table(
        "signoff_summary",
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("subtypes", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_signoff_summary")),
    )


def downgrade() -> None:
    op.drop_table("signoff_summary")
    with op.batch_alter_table("signoff_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_status_target_kind"))

    op.drop_table("signoff_status")
    with op.batch_alter_table("signoff_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_snapshot_target_uid"))

    op.drop_table("signoff_snapshot")
    with op.batch_alter_table("signoff_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_request_direction"))

    op.drop_table("signoff_request")
    op.drop_table("signoff_identity")
    with op.batch_alter_table("signoff_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoff_event_target_uid"))
        batch_op.drop_index(batch_op.f("ix_signoff_event_request_uid"))

    op.drop_table("signoff_event")
