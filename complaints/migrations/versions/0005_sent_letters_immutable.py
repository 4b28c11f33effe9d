"""sent letters immutable: the database itself refuses to change or delete a sent letter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "a sent letter cannot be changed or deleted; write a correction instead"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION letter_sent_immutable() RETURNS trigger AS $$
            BEGIN
                IF OLD.status = 'sent' THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER letter_sent_immutable BEFORE UPDATE OR DELETE ON letter "
            "FOR EACH ROW EXECUTE FUNCTION letter_sent_immutable()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER letter_sent_immutable_{event.lower()} BEFORE {event} ON letter "
            f"WHEN OLD.status = 'sent' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER letter_sent_immutable ON letter")
        op.execute("DROP FUNCTION letter_sent_immutable()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER letter_sent_immutable_{event}")
