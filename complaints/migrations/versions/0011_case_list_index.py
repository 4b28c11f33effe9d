"""case list index: received_on with the columns that decide who may see a case, so the case
list and its count are read from the index alone

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_feedback_case_received_visible",
        "feedback_case",
        ["received_on", "id", "team_id", "officer_id"],
        unique=False,
    )
    op.drop_index("ix_feedback_case_received_on", table_name="feedback_case")


def downgrade() -> None:
    op.create_index("ix_feedback_case_received_on", "feedback_case", ["received_on"], unique=False)
    op.drop_index("ix_feedback_case_received_visible", table_name="feedback_case")
