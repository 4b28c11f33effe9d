"""sign-in sessions and attempt counters: each sign-in held by the server (so signing out, a
new password or an account switched off ends it for good), and the counts of sign-in attempts
every web worker shares; the lock-out of 0012 goes (wrong passwords now slow down only the
username at the address they came from, counted in attempt_counter)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("browser_sha256", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_because", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_sign_in_session_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_sign_in_session_token_sha256")),
    )
    op.create_index(
        op.f("ix_sign_in_session_user_id"), "sign_in_session", ["user_id"], unique=False
    )
    op.create_table(
        "attempt_counter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_attempt_counter")),
    )
    op.create_index(
        op.f("ix_attempt_counter_window_ends_at"),
        "attempt_counter",
        ["window_ends_at"],
        unique=False,
    )
    # A plain DROP COLUMN (SQLite 3.35 and later have it): a batch copy of app_user would drop
    # the table every case and letter refers to, which SQLite's foreign keys refuse.
    op.drop_column("app_user", "locked_until")
    op.drop_column("app_user", "failed_sign_ins")


def downgrade() -> None:
    op.add_column(
        "app_user", sa.Column("failed_sign_ins", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("app_user", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f("ix_attempt_counter_window_ends_at"), table_name="attempt_counter")
    op.drop_table("attempt_counter")
    op.drop_index(op.f("ix_sign_in_session_user_id"), table_name="sign_in_session")
    op.drop_table("sign_in_session")
