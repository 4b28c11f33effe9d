"""initial schema: every table of the foundation, with the indexes the queue and sweep use

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
        sa.UniqueConstraint("name", name=op.f("uq_category_name")),
    )
    op.create_table(
        "reference_counter",
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_reference_counter")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name", name=op.f("uq_team_name")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_app_user_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_index(op.f("ix_app_user_team_id"), "app_user", ["team_id"], unique=False)

    op.create_table(
        "feedback_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("feedback_type", sa.String(length=40), nullable=False),
        sa.Column("procedure", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("contact_method", sa.String(length=40), nullable=False),
        sa.Column("made_by", sa.String(length=40), nullable=False),
        sa.Column("complainant_name", sa.String(length=200), nullable=False),
        sa.Column("complainant_email", sa.String(length=254), nullable=True),
        sa.Column("complainant_phone", sa.String(length=40), nullable=True),
        sa.Column("complainant_address", sa.Text(), nullable=True),
        sa.Column("is_child", sa.Boolean(), nullable=False),
        sa.Column("advocate_name", sa.String(length=200), nullable=True),
        sa.Column("consent_recorded", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("matter_date", sa.Date(), nullable=True),
        sa.Column("in_time", sa.Boolean(), nullable=True),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("stage BETWEEN 0 AND 3", name=op.f("ck_feedback_case_stage_range")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_feedback_case_version_positive")),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["app_user.id"], name=op.f("fk_feedback_case_officer_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_feedback_case_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_feedback_case_updated_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_case")),
        sa.UniqueConstraint("reference", name=op.f("uq_feedback_case_reference")),
    )
    op.create_index(
        "ix_feedback_case_procedure_state", "feedback_case", ["procedure", "state"], unique=False
    )
    op.create_index(
        op.f("ix_feedback_case_received_on"), "feedback_case", ["received_on"], unique=False
    )
    op.create_index(
        "ix_feedback_case_state_officer", "feedback_case", ["state", "officer_id"], unique=False
    )
    op.create_index(
        "ix_feedback_case_state_team", "feedback_case", ["state", "team_id"], unique=False
    )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_audit_event_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_audit_event_case_id_feedback_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index(
        "ix_audit_event_case_occurred", "audit_event", ["case_id", "occurred_at"], unique=False
    )
    op.create_index(
        op.f("ix_audit_event_occurred_at"), "audit_event", ["occurred_at"], unique=False
    )

    op.create_table(
        "case_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_case_action_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_case_action_owner_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_action")),
    )
    op.create_index(op.f("ix_case_action_case_id"), "case_action", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_action_owner_id"), "case_action", ["owner_id"], unique=False)
    op.create_index(
        "ix_case_action_status_due_on", "case_action", ["status", "due_on"], unique=False
    )

    op.create_table(
        "case_category",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["feedback_case.id"],
            name=op.f("fk_case_category_case_id_feedback_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_case_category_category_id_category")
        ),
        sa.PrimaryKeyConstraint("case_id", "category_id", name=op.f("pk_case_category")),
    )
    op.create_index(
        op.f("ix_case_category_category_id"), "case_category", ["category_id"], unique=False
    )

    op.create_table(
        "complaint_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("stage_added", sa.Integer(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_complaint_point_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["app_user.id"], name=op.f("fk_complaint_point_officer_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_complaint_point_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_point")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_complaint_point_case_id_number")),
    )
    op.create_index(
        op.f("ix_complaint_point_case_id"), "complaint_point", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_complaint_point_officer_id"), "complaint_point", ["officer_id"], unique=False
    )

    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("original_due_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_to", sa.Date(), nullable=True),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("paused_working_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "paused_working_days >= 0", name=op.f("ck_deadline_paused_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_deadline_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["app_user.id"], name=op.f("fk_deadline_owner_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline")),
    )
    op.create_index(op.f("ix_deadline_case_id"), "deadline", ["case_id"], unique=False)
    op.create_index("ix_deadline_owner_status", "deadline", ["owner_id", "status"], unique=False)
    op.create_index("ix_deadline_status_due_on", "deadline", ["status", "due_on"], unique=False)

    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("to_stage", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("to_stage IN (2, 3)", name=op.f("ck_escalation_to_stage_2_or_3")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_escalation_case_id_feedback_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
    )
    op.create_index(op.f("ix_escalation_case_id"), "escalation", ["case_id"], unique=False)

    op.create_table(
        "hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("resume_by", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_hold_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["app_user.id"], name=op.f("fk_hold_ended_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["app_user.id"], name=op.f("fk_hold_started_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hold")),
    )
    op.create_index(op.f("ix_hold_case_id"), "hold", ["case_id"], unique=False)
    op.create_index(op.f("ix_hold_resume_by"), "hold", ["resume_by"], unique=False)

    op.create_table(
        "lesson_learned",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_lesson_learned_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_lesson_learned_recorded_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_learned")),
    )
    op.create_index(op.f("ix_lesson_learned_case_id"), "lesson_learned", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_lesson_learned_recorded_on"), "lesson_learned", ["recorded_on"], unique=False
    )

    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_address", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("qa_comments", sa.Text(), nullable=True),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("corrects_letter_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["app_user.id"], name=op.f("fk_letter_approver_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_letter_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_letter_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_letter_id"], ["letter.id"], name=op.f("fk_letter_corrects_letter_id_letter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
    )
    op.create_index(op.f("ix_letter_case_id"), "letter", ["case_id"], unique=False)

    op.create_table(
        "lgsco_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ombudsman_reference", sa.String(length=40), nullable=False),
        sa.Column("enquiry_received_on", sa.Date(), nullable=False),
        sa.Column("response_due_on", sa.Date(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=40), nullable=True),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("remedy_agreed", sa.Text(), nullable=True),
        sa.Column("compliance_due_on", sa.Date(), nullable=True),
        sa.Column("complied_on", sa.Date(), nullable=True),
        sa.Column("compliance_evidence", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_lgsco_record_case_id_feedback_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lgsco_record")),
    )
    op.create_index(op.f("ix_lgsco_record_case_id"), "lgsco_record", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_lgsco_record_compliance_due_on"),
        "lgsco_record",
        ["compliance_due_on"],
        unique=False,
    )

    op.create_table(
        "remedy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount IS NULL OR amount >= 0", name=op.f("ck_remedy_amount_not_negative")
        ),
        sa.CheckConstraint("stage BETWEEN 1 AND 3", name=op.f("ck_remedy_stage_range")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_remedy_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["app_user.id"], name=op.f("fk_remedy_recorded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remedy")),
        sa.UniqueConstraint("case_id", "stage", "kind", name=op.f("uq_remedy_case_id_stage_kind")),
    )
    op.create_index(op.f("ix_remedy_case_id"), "remedy", ["case_id"], unique=False)

    op.create_table(
        "stage_cost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_stage_cost_amount_not_negative")),
        sa.CheckConstraint("stage IN (2, 3)", name=op.f("ck_stage_cost_stage_2_or_3")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_stage_cost_case_id_feedback_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_cost")),
    )
    op.create_index(op.f("ix_stage_cost_case_id"), "stage_cost", ["case_id"], unique=False)

    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(deadline_id IS NULL) <> (action_id IS NULL)", name=op.f("ck_alert_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["case_action.id"], name=op.f("fk_alert_action_id_case_action")
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadline.id"], name=op.f("fk_alert_deadline_id_deadline")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint("action_id", "kind", name=op.f("uq_alert_action_id_kind")),
        sa.UniqueConstraint("deadline_id", "kind", name=op.f("uq_alert_deadline_id_kind")),
    )
    op.create_index(op.f("ix_alert_created_at"), "alert", ["created_at"], unique=False)

    op.create_table(
        "extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("previous_due_on", sa.Date(), nullable=False),
        sa.Column("new_due_on", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("complainant_agreed", sa.Boolean(), nullable=False),
        sa.Column("complainant_agreed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("working_days > 0", name=op.f("ck_extension_working_days_positive")),
        sa.ForeignKeyConstraint(
            ["agreed_by_id"], ["app_user.id"], name=op.f("fk_extension_agreed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_extension_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadline.id"], name=op.f("fk_extension_deadline_id_deadline")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension")),
    )
    op.create_index(op.f("ix_extension_case_id"), "extension", ["case_id"], unique=False)
    op.create_index(op.f("ix_extension_deadline_id"), "extension", ["deadline_id"], unique=False)

    op.create_table(
        "point_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stage BETWEEN 1 AND 3", name=op.f("ck_point_outcome_stage_range")),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["complaint_point.id"],
            name=op.f("fk_point_outcome_point_id_complaint_point"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_point_outcome_recorded_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_outcome")),
        sa.UniqueConstraint("point_id", "stage", name=op.f("uq_point_outcome_point_id_stage")),
    )


def downgrade() -> None:
    op.drop_table("point_outcome")
    op.drop_table("extension")
    op.drop_table("alert")
    op.drop_table("stage_cost")
    op.drop_table("remedy")
    op.drop_table("lgsco_record")
    op.drop_table("letter")
    op.drop_table("lesson_learned")
    op.drop_table("hold")
    op.drop_table("escalation")
    op.drop_table("deadline")
    op.drop_table("complaint_point")
    op.drop_table("case_category")
    op.drop_table("case_action")
    op.drop_table("audit_event")
    op.drop_table("feedback_case")
    op.drop_table("app_user")
    op.drop_table("team")
    op.drop_table("reference_counter")
    op.drop_table("category")
