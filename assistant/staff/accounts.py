"""Staff accounts: add, list, remove, and check a password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.engine import Database
from assistant.db.models import Staff, StaffToken
from assistant.staff.errors import InvalidStaffInput, StaffExists, StaffNotFound
from assistant.staff.passwords import hash_password, verify_password

MAX_EMAIL_CHARS = 254
_EMAIL = re.compile(r"[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+")


@dataclass(frozen=True)
class StaffIdentity:
    """Who is making a request, and how they proved it."""

    id: int
    email: str
    via: Literal["session", "token", "proxy"]


@dataclass(frozen=True)
class StaffMember:
    email: str
    created_at: datetime
    tokens: int


def normalize_email(raw: str) -> str:
    """The address as accounts are keyed: trimmed, lower case (staff type it either way)."""
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(email):
        raise InvalidStaffInput(f"{raw.strip()[:80]!r} is not an e-mail address")
    return email


def add_staff(db: Database, email: str, password: str, *, now: datetime) -> StaffMember:
    address = normalize_email(email)
    hashed = hash_password(password)  # checks the password first, before anything is written
    try:
        with db.session() as session:
            if _find(session, address) is not None:
                raise StaffExists(f"there is already a staff account for {address}")
            session.add(Staff(email=address, password_hash=hashed, created_at=now))
    except IntegrityError:  # added by someone else at the same moment
        raise StaffExists(f"there is already a staff account for {address}") from None
    return StaffMember(email=address, created_at=now, tokens=0)


def list_staff(db: Database) -> list[StaffMember]:
    tokens = (
        select(StaffToken.staff_id, func.count().label("n"))
        .group_by(StaffToken.staff_id)
        .subquery()
    )
    query = (
        select(Staff.email, Staff.created_at, func.coalesce(tokens.c.n, 0))
        .outerjoin(tokens, tokens.c.staff_id == Staff.id)
        .order_by(Staff.email)
    )
    with db.session() as session:
        return [
            StaffMember(email=email, created_at=created, tokens=int(n))
            for email, created, n in session.execute(query)
        ]


def remove_staff(db: Database, email: str) -> None:
    """Removes the account with its tokens and sessions: it can do nothing from now on."""
    address = normalize_email(email)
    with db.session() as session:
        staff = _find(session, address)
        if staff is None:
            raise StaffNotFound(f"there is no staff account for {address}")
        session.delete(staff)


def authenticate(db: Database, email: str, password: str) -> StaffIdentity | None:
    """The account if ``password`` is its password; None otherwise, whichever was wrong."""
    try:
        address = normalize_email(email)
    except InvalidStaffInput:
        address = None
    with db.session() as session:
        staff = _find(session, address) if address else None
        hashed = staff.password_hash if staff is not None else None
        if not verify_password(password[:1024], hashed) or staff is None:
            return None
        return StaffIdentity(id=staff.id, email=staff.email, via="session")


def find_staff(db: Database, email: str, *, via: Literal["proxy"]) -> StaffIdentity | None:
    """The account of ``email`` (a user named by a trusted proxy), if there is one."""
    try:
        address = normalize_email(email)
    except InvalidStaffInput:
        return None
    with db.session() as session:
        staff = _find(session, address)
        return StaffIdentity(id=staff.id, email=staff.email, via=via) if staff else None


def staff_id_of(session: Session, email: str) -> int:
    address = normalize_email(email)
    staff = _find(session, address)
    if staff is None:
        raise StaffNotFound(f"there is no staff account for {address}")
    return staff.id


def _find(session: Session, address: str) -> Staff | None:
    return session.scalars(select(Staff).where(Staff.email == address)).one_or_none()
