"""e-mail intake and retention: inbound messages and attachments; the day a case was anonymised;
the one change a sent letter allows, the retention policy removing its text

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "a sent letter cannot be changed or deleted; write a correction instead"
# A sent letter may change only by being redacted: its text, PDF and recipient removed and the
# day recorded, everything that identifies what was sent (its digest, date, template) unchanged.
REDACTION = (
    "OLD.redacted_on IS NULL AND NEW.redacted_on IS NOT NULL"
    " AND NEW.html IS NULL AND NEW.pdf IS NULL AND NEW.recipient_address IS NULL"
    " AND NEW.status = OLD.status AND NEW.sha256 = OLD.sha256 AND NEW.sent_on = OLD.sent_on"
    " AND NEW.template = OLD.template AND NEW.case_id = OLD.case_id"
)


def upgrade() -> None:
    op.add_column("feedback_case", sa.Column("anonymised_on", sa.Date(), nullable=True))
    op.add_column("letter", sa.Column("redacted_on", sa.Date(), nullable=True))
    _create_intake_tables()
    _replace_letter_triggers(allow_redaction=True)


def downgrade() -> None:
    _replace_letter_triggers(allow_redaction=False)  # before the column it reads goes
    op.drop_index(op.f("ix_attachment_case_id"), table_name="attachment")
    op.drop_table("attachment")
    op.drop_index(op.f("ix_inbound_message_case_id"), table_name="inbound_message")
    op.drop_table("inbound_message")
    with op.batch_alter_table("letter") as batch:
        batch.drop_column("redacted_on")
    with op.batch_alter_table("feedback_case") as batch:
        batch.drop_column("anonymised_on")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column by rebuilding the table, which loses its triggers: put back
        # revision 0005's.
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS letter_sent_immutable_{event.lower()} "
                f"BEFORE {event} ON letter WHEN OLD.status = 'sent' "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def _create_intake_tables() -> None:
    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=998), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_inbound_message_case_id_feedback_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_inbound_message_message_id")),
    )
    op.create_index(
        op.f("ix_inbound_message_case_id"), "inbound_message", ["case_id"], unique=False
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("inbound_message_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["feedback_case.id"], name=op.f("fk_attachment_case_id_feedback_case")
        ),
        sa.ForeignKeyConstraint(
            ["inbound_message_id"],
            ["inbound_message.id"],
            name=op.f("fk_attachment_inbound_message_id_inbound_message"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_case_id"), "attachment", ["case_id"], unique=False)


def _replace_letter_triggers(*, allow_redaction: bool) -> None:
    allowed = f"({REDACTION})" if allow_redaction else "FALSE"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION letter_sent_immutable() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF OLD.status = 'sent' THEN
                        RAISE EXCEPTION '{MESSAGE}';
                    END IF;
                    RETURN OLD;
                END IF;
                IF OLD.status = 'sent' AND NOT {allowed} THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        return
    op.execute("DROP TRIGGER letter_sent_immutable_update")
    sqlite_allowed = allowed.replace("FALSE", "0")
    op.execute(
        "CREATE TRIGGER letter_sent_immutable_update BEFORE UPDATE ON letter "
        f"WHEN OLD.status = 'sent' AND NOT {sqlite_allowed} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )
