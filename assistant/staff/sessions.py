"""Browser sign-ins, kept server-side: the cookie holds a random token, the database its
digest, the CSRF token's digest and when it ends.

Server-side rather than a signed cookie: signing out, removing a staff member or a leaked
cookie end the session at once for every replica (they share the database), and there is no
signing key to generate, distribute and rotate. A request costs one indexed lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from assistant.db.engine import Database
from assistant.db.models import Staff, StaffSession
from assistant.staff.accounts import StaffIdentity
from assistant.staff.digests import digest, new_secret


@dataclass(frozen=True)
class NewSession:
    token: str  # the cookie's value
    csrf_token: str  # sent back by the pages in a header with each write
    expires_at: datetime


@dataclass(frozen=True)
class ActiveSession:
    staff: StaffIdentity
    csrf_digest: str


def start_session(db: Database, staff: StaffIdentity, *, now: datetime, hours: float) -> NewSession:
    token, csrf = new_secret(), new_secret()
    expires = now + timedelta(hours=hours)
    with db.session() as session:
        # Ended sessions are dropped as new ones start: the table holds live ones only.
        session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
        session.add(
            StaffSession(
                staff_id=staff.id,
                digest=digest(token),
                csrf_digest=digest(csrf),
                created_at=now,
                expires_at=expires,
            )
        )
    return NewSession(token=token, csrf_token=csrf, expires_at=expires)


def active_session(db: Database, token: str, *, now: datetime) -> ActiveSession | None:
    if len(token) > 200:
        return None
    query = (
        select(Staff.id, Staff.email, StaffSession.csrf_digest)
        .join(StaffSession.staff)
        .where(StaffSession.digest == digest(token), StaffSession.expires_at > now)
    )
    with db.session() as session:
        row = session.execute(query).one_or_none()
    if row is None:
        return None
    return ActiveSession(StaffIdentity(id=row.id, email=row.email, via="session"), row.csrf_digest)


def end_session(db: Database, token: str) -> None:
    with db.session() as session:
        session.execute(delete(StaffSession).where(StaffSession.digest == digest(token)))
