"""letter approval frozen: who put a letter forward, when it was approved and the digest of the
exact HTML and PDF approved (the database refuses to change them while the letter stays approved
or when it is sent), why an approval was withdrawn, and why a response was sent outside the
product

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "an approved letter cannot be changed; it goes back for sign-off instead"
# An approved letter keeps the words, PDF and digest the approver signed off until it is sent
# with them; only withdrawing the approval (back to submitted) may change them.
CHANGED = (
    "OLD.status = 'approved' AND NEW.status IN ('approved', 'sent')"
    " AND (NEW.html IS NOT OLD.html OR NEW.pdf IS NOT OLD.pdf"
    " OR NEW.approved_sha256 IS NOT OLD.approved_sha256"
    " OR NEW.template_text IS NOT OLD.template_text)"
)


def upgrade() -> None:
    with _letter_table_kept_with_its_triggers() as batch:
        batch.add_column(
            sa.Column(
                "submitted_by_id",
                sa.Integer(),
                sa.ForeignKey("app_user.id", name="fk_letter_submitted_by_id_app_user"),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("approved_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("approval_voided_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("sent_outside_reason", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        changed = CHANGED.replace(" IS NOT OLD.", " IS DISTINCT FROM OLD.")
        op.execute(
            f"""
            CREATE FUNCTION letter_approved_frozen() RETURNS trigger AS $$
            BEGIN
                IF {changed} THEN
                    RAISE EXCEPTION '{MESSAGE}';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER letter_approved_frozen BEFORE UPDATE ON letter "
            "FOR EACH ROW EXECUTE FUNCTION letter_approved_frozen()"
        )
        return
    op.execute(
        f"CREATE TRIGGER letter_approved_frozen BEFORE UPDATE ON letter WHEN {CHANGED} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def downgrade() -> None:
    columns = (
        "sent_outside_reason",
        "approval_voided_reason",
        "approved_sha256",
        "approved_at",
        "submitted_by_id",
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER letter_approved_frozen ON letter")
        op.execute("DROP FUNCTION letter_approved_frozen()")
        op.drop_constraint("fk_letter_submitted_by_id_app_user", "letter", type_="foreignkey")
        for column in columns:
            op.drop_column("letter", column)
        return
    op.execute("DROP TRIGGER letter_approved_frozen")
    with _letter_table_kept_with_its_triggers() as batch:
        for column in columns:
            batch.drop_column(column)


@contextmanager
def _letter_table_kept_with_its_triggers() -> Iterator[BatchOperations]:
    """Alter the letter table. SQLite does it by rebuilding the table, which loses its
    triggers (the sent letter's): they are put back as they were."""
    bind = op.get_bind()
    triggers: list[str] = []
    if bind.dialect.name == "sqlite":
        triggers = list(
            bind.execute(
                sa.text(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'letter'"
                )
            )
            .scalars()
            .all()
        )
    with op.batch_alter_table("letter") as batch:
        yield batch
    for trigger in triggers:
        op.execute(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
