"""letter template versions: the council's own wording of a letter, every version kept, and the
wording each letter was drafted in

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "letter_template_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["app_user.id"],
            name=op.f("fk_letter_template_version_set_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_template_version")),
        sa.UniqueConstraint(
            "name", "version", name=op.f("uq_letter_template_version_name_version")
        ),
    )
    # A plain ADD COLUMN: SQLite keeps the letter table, and so its immutability triggers.
    op.add_column("letter", sa.Column("template_text", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place (no rebuild), so the triggers stay.
    op.execute("ALTER TABLE letter DROP COLUMN template_text")
    op.drop_table("letter_template_version")
