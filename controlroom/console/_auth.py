"""Console log-in with rate limiting, and server-side sessions (the accounts themselves
are ``controlroom.services.users``).

Passwords are argon2id hashes (argon2-cffi defaults). A session is a random 256-bit
secret in an HttpOnly cookie; the database keeps only its sha256 with the user, the
expiry and the session's CSRF token, so logging out or disabling a user ends it at once.
Log-in limits (``check_rate``), checked before the password so a refused attempt tells
nothing: per account, a few failures in a row are free, then each attempt waits a
doubling delay after the last failure; per client address (``_web.client_address``, which
believes X-Forwarded-For only from ``CLERK_TRUSTED_PROXIES``), a looser count over a
window, so guessing stays slow across usernames without one user's typos locking out
everyone behind the same address. Refusals are 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._console_models import ConsoleSession, LoginAttempt
from controlroom._db_types import utcnow
from controlroom.models import User
from controlroom.services import users
from controlroom.services.users import ROLE_RANK, actor_of

# Verified against when the username does not exist, so timing does not reveal accounts.
_DUMMY_HASH = users.HASHER.hash("clerk-dummy-password")


class LoginRefused(Exception):
    """Wrong username or password (one message for both: do not reveal which)."""


class RateLimited(Exception):
    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(
            f"too many failed log-ins for this {what}; try again in {retry_after} seconds"
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class SessionUser:
    """Who is logged in, as a request sees it."""

    user_id: str
    username: str
    role: str
    csrf_token: str
    session_id: str

    @property
    def actor(self) -> str:
        return f"user:{self.username}"

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class LoginLimits:
    """``ConsoleSettings``' log-in limits (see there)."""

    max_failures: int
    backoff_seconds: int
    max_backoff_seconds: int
    address_max_failures: int
    window_seconds: int


def account_wait(failures: int, limits: LoginLimits) -> int:
    """Seconds an account waits after its last failure, with ``failures`` in a row."""
    if failures < limits.max_failures:
        return 0
    doublings = min(failures - limits.max_failures, 30)
    wait: int = limits.backoff_seconds * 2**doublings
    return min(wait, limits.max_backoff_seconds)


def check_rate(session: Session, username: str, address: str, limits: LoginLimits) -> None:
    """Refuse (RateLimited) an attempt the account's backoff or the address's window
    forbids. An account counts its failures since its last success (within a day, as
    long as rows are kept); an address counts failures of any account in the window, so
    one user's typos do not lock out everyone behind the same address."""
    now = utcnow()
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
        )
    )
    since = now - timedelta(days=1)
    if last_success is not None and last_success > since:
        since = last_success
    count, last_failure = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username,
            LoginAttempt.at > since,
            LoginAttempt.succeeded.is_(False),
        )
    ).one()
    wait = account_wait(int(count), limits)
    if wait and last_failure is not None:
        left = (last_failure + timedelta(seconds=wait) - now).total_seconds()
        if left > 0:
            raise RateLimited(math.ceil(left), "account")
    count, oldest = session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.address == address,
            LoginAttempt.at >= now - timedelta(seconds=limits.window_seconds),
            LoginAttempt.succeeded.is_(False),
        )
    ).one()
    if count >= limits.address_max_failures and oldest is not None:
        left = (oldest + timedelta(seconds=limits.window_seconds) - now).total_seconds()
        raise RateLimited(max(math.ceil(left), 1), "address")


def record_attempt(session: Session, username: str, address: str, succeeded: bool) -> None:
    session.add(LoginAttempt(username=username[:200], address=address[:64], succeeded=succeeded))
    # Old rows only matter for the window; keep the table small as a side effect.
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=1)))


def verify_login(session: Session, username: str, password: str) -> User:
    """The active user with this password, or LoginRefused."""
    user = session.scalar(select(User).where(User.username == username))
    try:
        users.HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise LoginRefused("wrong username or password") from None
    if user is None or user.disabled:
        raise LoginRefused("wrong username or password")
    if users.HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = users.HASHER.hash(password)
    return user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(session: Session, user: User, *, seconds: int, address: str) -> str:
    """Create a session for ``user``; return the cookie secret (never stored)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        ConsoleSession(
            id=_digest(secret),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(seconds=seconds),
        )
    )
    user.last_login_at = now
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    audit.append(
        session, actor_of(user.username), "user.login", "user", user.id, after={"address": address}
    )
    return secret


def resolve_session(session: Session, secret: str) -> SessionUser | None:
    row = session.execute(
        select(ConsoleSession, User)
        .join(User, User.id == ConsoleSession.user_id)
        .where(ConsoleSession.id == _digest(secret))
    ).first()
    if row is None:
        return None
    console_session, user = row
    if console_session.expires_at <= utcnow() or user.disabled:
        return None
    return SessionUser(
        user.id, user.username, user.role, console_session.csrf_token, console_session.id
    )


def close_session(session: Session, who: SessionUser) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.id == who.session_id))
    audit.append(session, who.actor, "user.logout", "user", who.user_id)
