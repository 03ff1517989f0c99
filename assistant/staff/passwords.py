"""Staff passwords, hashed with argon2id (pwdlib over argon2-cffi, its recommended cost)."""

from __future__ import annotations

from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from assistant.staff.errors import InvalidStaffInput

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # hashing cost does not depend on it, but a bound keeps input sane

_HASHER = PasswordHash((Argon2Hasher(),))


@cache
def _dummy() -> str:
    """Verified against when the e-mail is unknown, so that a wrong address takes as long as a
    wrong password: the time of a refusal must not tell which accounts exist. Made on first
    need: hashing costs about 0.15 s, which every process start and CLI call would pay."""
    return _HASHER.hash("not a password of anyone")


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidStaffInput(
            f"the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidStaffInput(f"the password is longer than {MAX_PASSWORD_CHARS} characters")


def hash_password(password: str) -> str:
    check_new_password(password)
    return _HASHER.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _HASHER.verify(password, _dummy())
        return False
    return bool(_HASHER.verify(password, password_hash))
