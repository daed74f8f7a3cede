"""Initial schema: every record kind, attachments and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:51:22.968862
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS record_search USING fts5("
        "uid UNINDEXED, kind UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
    )

    op.create_table(
        "attachment_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blob")),
    )
    op.create_table(
        "attestation",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("attestation_kind", sa.String(length=40), nullable=False),
        sa.Column("by_name", sa.String(length=300), nullable=False),
        sa.Column("by_role", sa.String(length=300), nullable=False),
        sa.Column("by_registration", sa.String(length=100), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_attestation")),
    )
    with op.batch_alter_table("attestation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attestation_date"), ["date"], unique=False)

    op.create_table(
        "cpd",
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("provider", sa.String(length=300), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("cpd_type", sa.String(length=40), nullable=False),
        sa.Column("participatory", sa.Boolean(), nullable=False),
        sa.Column("skills_focused", sa.Boolean(), nullable=False),
        sa.Column("standard_link", sa.String(length=300), nullable=False),
        sa.Column("learning_outcomes", sa.Text(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("reflection_private", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_cpd")),
    )
    with op.batch_alter_table("cpd", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cpd_start_date"), ["start_date"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("reflection_private", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_date"), ["date"], unique=False)

    op.create_table(
        "logbook_meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_logbook_meta")),
    )
    op.create_table(
        "organisation",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organisation_kind", sa.String(length=40), nullable=False),
        sa.Column("employer", sa.Boolean(), nullable=False),
        sa.Column("supervising", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_name"), ["name"], unique=False)

    op.create_table(
        "pathway",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("pathway_kind", sa.String(length=40), nullable=False),
        sa.Column("template_key", sa.String(length=100), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_pathway")),
    )
    with op.batch_alter_table("pathway", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pathway_started_on"), ["started_on"], unique=False)

    op.create_table(
        "personal_practice",
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("practice_kind", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=40), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("days", sa.Double(), nullable=False),
        sa.Column("silence_percent", sa.Integer(), nullable=False),
        sa.Column("teacher_led", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_personal_practice")),
    )
    with op.batch_alter_table("personal_practice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_personal_practice_start_date"), ["start_date"], unique=False
        )

    op.create_table(
        "profile",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.Column("qualified_on", sa.Date(), nullable=True),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("registrations", sa.Text(), nullable=False),
        sa.Column("client_groups", sa.Text(), nullable=False),
        sa.Column("followed_packs", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_profile")),
    )
    op.create_table(
        "reflective_account",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("experience", sa.Text(), nullable=False),
        sa.Column("learning", sa.Text(), nullable=False),
        sa.Column("change_in_practice", sa.Text(), nullable=False),
        sa.Column("code_themes", sa.Text(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_reflective_account")),
    )
    with op.batch_alter_table("reflective_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reflective_account_date"), ["date"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("owner_uid", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["attachment_blob.sha256"],
            name=op.f("fk_attachment_sha256_attachment_blob"),
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_owner_uid"), ["owner_uid"], unique=False)

    op.create_table(
        "person",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("organisation_uid", sa.String(length=36), nullable=True),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("registration_body", sa.String(length=100), nullable=False),
        sa.Column("registration_number", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_uid"],
            ["organisation.uid"],
            name=op.f("fk_person_organisation_uid_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_organisation_uid"), ["organisation_uid"], unique=False
        )

    op.create_table(
        "course",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("curriculum", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("share_percent", sa.Integer(), nullable=False),
        sa.Column("population", sa.String(length=300), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.Column("organisation_uid", sa.String(length=36), nullable=True),
        sa.Column("co_teacher_uid", sa.String(length=36), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("sessions_planned", sa.Integer(), nullable=False),
        sa.Column("sessions_delivered", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("reflection_private", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["co_teacher_uid"],
            ["person.uid"],
            name=op.f("fk_course_co_teacher_uid_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_uid"],
            ["organisation.uid"],
            name=op.f("fk_course_organisation_uid_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_course")),
    )
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_co_teacher_uid"), ["co_teacher_uid"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_course_organisation_uid"), ["organisation_uid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_course_start_date"), ["start_date"], unique=False)

    op.create_table(
        "milestone",
        sa.Column("pathway_uid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("route", sa.String(length=40), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("assessor_uid", sa.String(length=36), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_uid"],
            ["person.uid"],
            name=op.f("fk_milestone_assessor_uid_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pathway_uid"],
            ["pathway.uid"],
            name=op.f("fk_milestone_pathway_uid_pathway"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_milestone")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_assessor_uid"), ["assessor_uid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_milestone_pathway_uid"), ["pathway_uid"], unique=False)

    op.create_table(
        "practice",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=40), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.Column("delivery", sa.String(length=40), nullable=False),
        sa.Column("client_group", sa.String(length=200), nullable=False),
        sa.Column("intervention", sa.String(length=200), nullable=False),
        sa.Column("supervised", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=False),
        sa.Column("did_not_attend", sa.Boolean(), nullable=False),
        sa.Column("organisation_uid", sa.String(length=36), nullable=True),
        sa.Column("course_uid", sa.String(length=36), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_uid"],
            ["course.uid"],
            name=op.f("fk_practice_course_uid_course"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_uid"],
            ["organisation.uid"],
            name=op.f("fk_practice_organisation_uid_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_practice")),
    )
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_course_uid"), ["course_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_date"), ["date"], unique=False)
        batch_op.create_index(
            "ix_practice_organisation_date", ["organisation_uid", "date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_organisation_uid"), ["organisation_uid"], unique=False
        )

    op.create_table(
        "supervision",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=40), nullable=False),
        sa.Column("counterpart_uid", sa.String(length=36), nullable=True),
        sa.Column("organisation_uid", sa.String(length=36), nullable=True),
        sa.Column("supervision_type", sa.String(length=40), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=40), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=True),
        sa.Column("course_uid", sa.String(length=36), nullable=True),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("themes", sa.Text(), nullable=False),
        sa.Column("action_points", sa.Text(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("reflection_private", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counterpart_uid"],
            ["person.uid"],
            name=op.f("fk_supervision_counterpart_uid_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["course_uid"],
            ["course.uid"],
            name=op.f("fk_supervision_course_uid_course"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_uid"],
            ["organisation.uid"],
            name=op.f("fk_supervision_organisation_uid_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_supervision")),
    )
    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_supervision_counterpart_date", ["counterpart_uid", "date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supervision_counterpart_uid"), ["counterpart_uid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_supervision_course_uid"), ["course_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_supervision_organisation_uid"), ["organisation_uid"], unique=False
        )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS record_search")

    with op.batch_alter_table("supervision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_organisation_uid"))
        batch_op.drop_index(batch_op.f("ix_supervision_date"))
        batch_op.drop_index(batch_op.f("ix_supervision_course_uid"))
        batch_op.drop_index(batch_op.f("ix_supervision_counterpart_uid"))
        batch_op.drop_index("ix_supervision_counterpart_date")

    op.drop_table("supervision")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_organisation_uid"))
        batch_op.drop_index("ix_practice_organisation_date")
        batch_op.drop_index(batch_op.f("ix_practice_date"))
        batch_op.drop_index(batch_op.f("ix_practice_course_uid"))

    op.drop_table("practice")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_pathway_uid"))
        batch_op.drop_index(batch_op.f("ix_milestone_assessor_uid"))

    op.drop_table("milestone")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_start_date"))
        batch_op.drop_index(batch_op.f("ix_course_organisation_uid"))
        batch_op.drop_index(batch_op.f("ix_course_co_teacher_uid"))

    op.drop_table("course")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_organisation_uid"))
        batch_op.drop_index(batch_op.f("ix_person_name"))

    op.drop_table("person")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_owner_uid"))

    op.drop_table("attachment")
    with op.batch_alter_table("reflective_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflective_account_date"))

    op.drop_table("reflective_account")
    op.drop_table("profile")
    with op.batch_alter_table("personal_practice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_practice_start_date"))

    op.drop_table("personal_practice")
    with op.batch_alter_table("pathway", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathway_started_on"))

    op.drop_table("pathway")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_name"))

    op.drop_table("organisation")
    op.drop_table("logbook_meta")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_date"))

    op.drop_table("feedback")
    with op.batch_alter_table("cpd", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cpd_start_date"))

    op.drop_table("cpd")
    with op.batch_alter_table("attestation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attestation_date"))

    op.drop_table("attestation")
    op.drop_table("attachment_blob")
