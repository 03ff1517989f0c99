"""Random secrets and their digests: what the database keeps of session and API tokens.

SHA-256 rather than a password hash: these are 256-bit random strings, so no dictionary or
brute force applies, and each request can check one in microseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret: str, expected_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), expected_digest)
