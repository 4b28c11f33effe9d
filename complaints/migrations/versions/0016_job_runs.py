"""job runs and possible replies: when each scheduled job last started, succeeded and failed
(with why), so `/health` can tell a sweep that has stopped; and, on an e-mail that quoted a case
from someone other than its contact, the case it may be a reply to

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_run",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_succeeded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_run")),
    )
    with op.batch_alter_table("inbound_message") as batch:
        batch.add_column(sa.Column("possible_reply_to_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_inbound_message_possible_reply_to_id_feedback_case"),
            "feedback_case",
            ["possible_reply_to_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_constraint(
            op.f("fk_inbound_message_possible_reply_to_id_feedback_case"), type_="foreignkey"
        )
        batch.drop_column("possible_reply_to_id")
    op.drop_table("job_run")
