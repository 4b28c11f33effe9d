"""audit trail append-only: the database refuses to change or delete an audit event, except the
retention policy removing the free text of an anonymised case's events

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit events cannot be changed or deleted"
# Who did what and when stays; only an anonymised case's events may lose their free text.
REDACTION = (
    "NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.actor_id IS OLD.actor_id"
    " AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action"
    " AND EXISTS (SELECT 1 FROM feedback_case"
    " WHERE feedback_case.id = OLD.case_id AND feedback_case.anonymised_on IS NOT NULL)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        allowed = REDACTION.replace(" IS OLD.", " IS NOT DISTINCT FROM OLD.")
        op.execute(
            f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND {allowed} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{MESSAGE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
        return
    op.execute(
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        f"WHEN NOT ({REDACTION}) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
        return
    op.execute("DROP TRIGGER audit_event_no_update")
    op.execute("DROP TRIGGER audit_event_no_delete")
