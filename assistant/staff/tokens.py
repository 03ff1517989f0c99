"""Bearer tokens for scripts: printed once when made, kept only as a digest, revocable one by
one (by the prefix shown when made) or all of a staff member's at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from assistant.db.engine import Database
from assistant.db.models import Staff, StaffToken
from assistant.staff.accounts import StaffIdentity, normalize_email, staff_id_of
from assistant.staff.digests import digest, new_secret
from assistant.staff.errors import TokenNotFound

TOKEN_PREFIX = "cas_"  # says what a leaked string is (a secret scanner can look for it)
SHOWN_CHARS = 12  # the prefix kept to tell tokens apart: "cas_" and 8 random characters


@dataclass(frozen=True)
class IssuedToken:
    token: str
    prefix: str
    created_at: datetime


@dataclass(frozen=True)
class TokenInfo:
    email: str
    prefix: str
    created_at: datetime


def issue_token(db: Database, email: str, *, now: datetime) -> IssuedToken:
    token = new_secret(TOKEN_PREFIX)
    prefix = token[:SHOWN_CHARS]
    with db.session() as session:
        staff_id = staff_id_of(session, email)
        session.add(
            StaffToken(staff_id=staff_id, digest=digest(token), prefix=prefix, created_at=now)
        )
    return IssuedToken(token=token, prefix=prefix, created_at=now)


def list_tokens(db: Database, email: str | None = None) -> list[TokenInfo]:
    query = select(Staff.email, StaffToken.prefix, StaffToken.created_at).join(StaffToken.staff)
    if email is not None:
        query = query.where(Staff.email == normalize_email(email))
    with db.session() as session:
        return [
            TokenInfo(email=e, prefix=p, created_at=c)
            for e, p, c in session.execute(query.order_by(Staff.email, StaffToken.created_at))
        ]


def revoke_token(db: Database, token_or_prefix: str) -> int:
    """Revokes the token given whole, or by the prefix shown when it was made; returns how
    many (a prefix shared by two tokens is refused: say the whole token)."""
    value = token_or_prefix.strip()
    with db.session() as session:
        exact = session.scalars(select(StaffToken).where(StaffToken.digest == digest(value)))
        found = list(exact)
        if not found and len(value) >= SHOWN_CHARS:
            found = list(
                session.scalars(select(StaffToken).where(StaffToken.prefix == value[:SHOWN_CHARS]))
            )
        if not found:
            raise TokenNotFound(
                "no such token: give the token or its first "
                f"{SHOWN_CHARS} characters, as `assistant staff tokens` lists them"
            )
        if len(found) > 1:
            raise TokenNotFound("that prefix names several tokens: give the whole token")
        session.delete(found[0])
        return 1


def revoke_all_tokens(db: Database, email: str) -> int:
    with db.session() as session:
        staff_id = staff_id_of(session, email)
        result = session.execute(delete(StaffToken).where(StaffToken.staff_id == staff_id))
        return int(getattr(result, "rowcount", 0) or 0)


def staff_for_token(db: Database, token: str) -> StaffIdentity | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    query = select(Staff.id, Staff.email).join(StaffToken.staff)
    with db.session() as session:
        row = session.execute(query.where(StaffToken.digest == digest(token))).one_or_none()
    return StaffIdentity(id=row.id, email=row.email, via="token") if row else None
