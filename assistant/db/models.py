"""The tables, as typed SQLAlchemy models. Changing one means adding a migration
(``assistant/db/migrations/versions/``): the server never creates tables from these classes.

Secrets are never stored as given: passwords as argon2id hashes, session and API tokens as
SHA-256 digests (they are long random strings, so a fast hash is enough to make a stolen table
useless). Ratings hold what the candidate saw and typed, nothing about the person.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored in UTC. PostgreSQL keeps the offset (timestamptz); SQLite
    keeps text without one, so values go in as UTC and come back marked as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime}  # noqa: RUF012


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]

    tokens: Mapped[list[StaffToken]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", passive_deletes=True
    )
    sessions: Mapped[list[StaffSession]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", passive_deletes=True
    )


class StaffToken(Base):
    """A bearer token for scripts: shown once when made, kept as its SHA-256 digest."""

    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    # The token's first characters, to tell tokens apart when listing or revoking them.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]

    staff: Mapped[Staff] = relationship(back_populates="tokens")


class StaffSession(Base):
    """A browser sign-in: the cookie's digest, the CSRF token's digest, when it ends."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)

    staff: Mapped[Staff] = relationship(back_populates="sessions")


class FeedbackEntry(Base):
    """A candidate's rating of an answer."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_created_at_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime]
    rating: Mapped[str] = mapped_column(String(8), index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(32))
    citations: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reviewed_at: Mapped[datetime | None] = mapped_column(index=True)
