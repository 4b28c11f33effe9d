"""deadline day zero and calendar state: what a closure-day change needs to recompute deadlines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "closure_days",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_state")),
    )
    with op.batch_alter_table("deadline") as batch_op:
        batch_op.add_column(sa.Column("counted_from_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deadline") as batch_op:
        batch_op.drop_column("counted_from_on")
    op.drop_table("calendar_state")
