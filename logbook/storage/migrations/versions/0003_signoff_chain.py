"""Sign-off audit chain: a practitioner key per logbook, and every event linked by hash; and
the supervisor's "signed by me" register.

The events already in the logbook are kept exactly as they were and chained in the order they
were recorded, marked as recorded before statements named the practitioner ("legacy"), so the
app can say honestly what they do and do not bind. Nothing is re-signed for a supervisor.
Trust in supervisors' keys is not carried over: it was partly given without the practitioner
checking a fingerprint, and from now on only a confirmation the practitioner makes counts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 11:40:00
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

from logbook.domain.audit import ChainHead, link_hash
from logbook.domain.identity import b64, identity_from_seed, new_key_seed
from logbook.domain.signing import CHAINED_FIELDS

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_register()
    with op.batch_alter_table("signoff_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=10), nullable=False, server_default="here")
        )
        batch_op.add_column(
            sa.Column("chain_prev", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("chain_hash", sa.String(length=64), nullable=False, server_default="")
        )
    conn = op.get_bind()
    seed = new_key_seed()
    conn.execute(
        sa.text("INSERT INTO logbook_meta (key, value) VALUES ('practitioner_key', :v)"),
        {"v": b64(seed)},
    )
    conn.execute(sa.text("UPDATE signoff_event SET origin = 'legacy'"))
    rows = conn.execute(sa.text("SELECT * FROM signoff_event ORDER BY seq")).mappings().all()
    prev, count = "", 0
    for row in rows:
        fields = {name: row[name] for name in CHAINED_FIELDS}
        # Stored times are UTC ISO text to the second, exactly as the chain covers them.
        fields["occurred_at"] = datetime.fromisoformat(row["occurred_at"]).isoformat()
        link = link_hash(prev, fields)
        conn.execute(
            sa.text("UPDATE signoff_event SET chain_prev = :p, chain_hash = :h WHERE seq = :s"),
            {"p": prev, "h": link, "s": row["seq"]},
        )
        prev, count = link, count + 1
    logbook_id = (
        conn.execute(sa.text("SELECT value FROM logbook_meta WHERE key = 'logbook_id'")).scalar()
        or ""
    )
    head = ChainHead(count, prev).signed(logbook_id, identity_from_seed(seed, ""))
    conn.execute(
        sa.text("INSERT INTO logbook_meta (key, value) VALUES ('signoff_chain_head', :v)"),
        {"v": json.dumps(head.to_json())},
    )


def _create_register() -> None:
    op.create_table(
        "signed_by_me",
        sa.Column("statement_sha256", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("target_uid", sa.String(length=36), nullable=False),
        sa.Column("target_revision", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("practitioner_name", sa.String(length=300), nullable=False),
        sa.Column("practitioner_key", sa.String(length=19), nullable=False),
        sa.Column("logbook_id", sa.String(length=36), nullable=False),
        sa.Column("signer_fingerprint", sa.String(length=19), nullable=False),
        sa.Column("signed_at", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("statement_sha256", name=op.f("pk_signed_by_me")),
    )
    with op.batch_alter_table("signed_by_me", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signed_by_me_signed_at"), ["signed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_signed_by_me_signer_fingerprint"), ["signer_fingerprint"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_signed_by_me_target_uid"), ["target_uid"], unique=False
        )


def downgrade() -> None:
    op.drop_table("signed_by_me")
    conn = op.get_bind()
    conn.execute(
        sa.text("DELETE FROM logbook_meta WHERE key IN ('practitioner_key', 'signoff_chain_head')")
    )
    with op.batch_alter_table("signoff_event", schema=None) as batch_op:
        batch_op.drop_column("chain_hash")
        batch_op.drop_column("chain_prev")
        batch_op.drop_column("origin")
