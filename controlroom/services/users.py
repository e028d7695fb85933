"""Console accounts: create, list, change role, disable, set a password.

The console, its admin pages and ``clerk users`` call these; each change is audited. A
user disabled or given a new password loses their open sessions at once. Passwords are
argon2id hashes (argon2-cffi defaults); logging in is ``controlroom.console._auth``.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from controlroom import _audit as audit
from controlroom._console_models import ConsoleSession
from controlroom.models import User
from controlroom.services.errors import Conflict, InvalidInput, NotFound
from controlroom.states import UserRole

ROLE_RANK = {
    UserRole.VIEWER.value: 0,
    UserRole.OPERATOR.value: 1,
    UserRole.REVIEWER.value: 2,
    UserRole.ADMIN.value: 3,
}
MIN_PASSWORD_CHARS = 8
HASHER = PasswordHasher()


def actor_of(username: str) -> str:
    return f"user:{username}"


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    return HASHER.hash(password)


def check_role(role: str) -> str:
    if role not in ROLE_RANK:
        raise InvalidInput(f"role must be one of {', '.join(ROLE_RANK)}, got {role!r}")
    return role


def create_user(session: Session, username: str, password: str, role: str, *, actor: str) -> User:
    username = username.strip()
    if not username or len(username) > 200 or not username.isprintable():
        raise InvalidInput(f"username {username!r} must be 1-200 printable characters")
    check_role(role)
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"user {username!r} already exists", "ALREADY_EXISTS")
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"user {username!r} already exists", "ALREADY_EXISTS") from None
    audit.append(
        session, actor, "user.create", "user", user.id, after={"username": username, "role": role}
    )
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}: see `clerk users list`")
    return user


def update_user(
    session: Session,
    username: str,
    *,
    actor: str,
    role: str | None = None,
    disabled: bool | None = None,
    password: str | None = None,
) -> User:
    user = get_user(session, username)
    before = {"role": user.role, "disabled": user.disabled}
    if role is not None:
        user.role = check_role(role)
    if disabled is not None:
        user.disabled = disabled
    if password is not None:
        user.password_hash = hash_password(password)
    if disabled or password is not None:
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
    after = {"role": user.role, "disabled": user.disabled, "password_changed": password is not None}
    audit.append(session, actor, "user.update", "user", user.id, before=before, after=after)
    return user
