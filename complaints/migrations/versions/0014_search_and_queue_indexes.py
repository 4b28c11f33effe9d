"""search and queue indexes: on PostgreSQL the case list finds a reference by its first
characters and a complainant by any part of their name from an index (the second with the
pg_trgm extension, created here if the database has not got it); on both databases a person's
open steps are found by their status and due date, and the dashboard finds the responses sent
this month by their date

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_deadline_stopped_on", "deadline", ["stopped_on"])
    op.create_index("ix_deadline_owner_status_due_on", "deadline", ["owner_id", "status", "due_on"])
    op.drop_index("ix_deadline_owner_status", table_name="deadline")
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension: the database's owner may create it, no superuser needed.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_feedback_case_reference_prefix",
        "feedback_case",
        ["reference"],
        postgresql_ops={"reference": "varchar_pattern_ops"},
    )
    op.create_index(
        "ix_feedback_case_name_trigrams",
        "feedback_case",
        [sa.text("lower(complainant_name) gin_trgm_ops")],
        postgresql_using="gin",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_feedback_case_name_trigrams", table_name="feedback_case")
        op.drop_index("ix_feedback_case_reference_prefix", table_name="feedback_case")
    op.create_index("ix_deadline_owner_status", "deadline", ["owner_id", "status"])
    op.drop_index("ix_deadline_owner_status_due_on", table_name="deadline")
    op.drop_index("ix_deadline_stopped_on", table_name="deadline")
