"""Staff accounts, their tokens and sign-ins; candidates' ratings.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    for table in ("staff_tokens", "staff_sessions"):
        columns: list[sa.Column[Any]] = [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(
                "staff_id",
                sa.Integer,
                sa.ForeignKey("staff.id", ondelete="CASCADE"),
                nullable=False,
                index=True,
            ),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("created_at", TIME, nullable=False),
        ]
        if table == "staff_tokens":
            columns.append(sa.Column("prefix", sa.String(16), nullable=False))
        else:
            columns.append(sa.Column("csrf_digest", sa.String(64), nullable=False))
            columns.append(sa.Column("expires_at", TIME, nullable=False, index=True))
        op.create_table(table, *columns)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False, index=True),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=True),
        sa.Column("citations", sa.JSON, nullable=True),
        sa.Column("conversation_id", sa.Uuid, nullable=True),
        sa.Column("reviewed_at", TIME, nullable=True, index=True),
    )
    op.create_index("ix_feedback_created_at_id", "feedback", ["created_at", "id"])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("staff_sessions")
    op.drop_table("staff_tokens")
    op.drop_table("staff")
