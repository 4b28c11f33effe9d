"""dashboard indexes: the open steps' index carries their case and owner, and a case's team and
officer are found by its id from an index, so the dashboard's counts read indexes alone; the
letters waiting at a status are found by it

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_deadline_status_due_on", table_name="deadline")
    op.create_index(
        "ix_deadline_status_due_on", "deadline", ["status", "due_on", "case_id", "owner_id"]
    )
    op.create_index("ix_feedback_case_visibility", "feedback_case", ["id", "team_id", "officer_id"])
    op.create_index("ix_letter_status_updated_at", "letter", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_letter_status_updated_at", table_name="letter")
    op.drop_index("ix_feedback_case_visibility", table_name="feedback_case")
    op.drop_index("ix_deadline_status_due_on", table_name="deadline")
    op.create_index("ix_deadline_status_due_on", "deadline", ["status", "due_on"])
