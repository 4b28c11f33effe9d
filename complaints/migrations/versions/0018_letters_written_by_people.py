"""letters written by people: the parts people write in a letter (its content, as the newest
revision has it), the revision last put forward for sign-off and why a draft was discarded;
every revision of those parts, and the comments of each return

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # Nullable columns without keys: SQLite adds them in place, keeping the letter's triggers.
    op.add_column("letter", sa.Column("content", JSON_DOCUMENT, nullable=True))
    op.add_column("letter", sa.Column("submitted_revision", sa.Integer(), nullable=True))
    op.add_column("letter", sa.Column("discard_reason", sa.Text(), nullable=True))
    op.create_table(
        "letter_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", JSON_DOCUMENT, nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_letter_revision_number_positive")),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["letter.id"], name=op.f("fk_letter_revision_letter_id_letter")
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["app_user.id"], name=op.f("fk_letter_revision_saved_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_revision")),
        sa.UniqueConstraint(
            "letter_id", "number", name=op.f("uq_letter_revision_letter_id_number")
        ),
    )
    op.create_index(
        op.f("ix_letter_revision_letter_id"), "letter_revision", ["letter_id"], unique=False
    )
    op.create_table(
        "letter_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Text(), nullable=True),
        sa.Column("parts", JSON_DOCUMENT, nullable=False),
        sa.Column("returned_by_id", sa.Integer(), nullable=False),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["letter.id"], name=op.f("fk_letter_comments_letter_id_letter")
        ),
        sa.ForeignKeyConstraint(
            ["returned_by_id"],
            ["app_user.id"],
            name=op.f("fk_letter_comments_returned_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_comments")),
    )
    op.create_index(
        op.f("ix_letter_comments_letter_id"), "letter_comments", ["letter_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_letter_comments_letter_id"), table_name="letter_comments")
    op.drop_table("letter_comments")
    op.drop_index(op.f("ix_letter_revision_letter_id"), table_name="letter_revision")
    op.drop_table("letter_revision")
    # A discarded letter was a draft nobody sent: it reads as one again.
    op.execute("UPDATE letter SET status = 'draft' WHERE status = 'discarded'")
    for column in ("discard_reason", "submitted_revision", "content"):
        op.drop_column("letter", column)
