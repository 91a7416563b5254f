"""Staff accounts: argon2id password hashes, roles, lock-out after repeated failed log-ins.

An account is locked for ``lockout_minutes`` after ``max_failed_logins`` failed
log-ins in a row; while locked, even the right password is refused. One address
that fails ``IP_MAX_FAILURES`` log-ins within the same window is refused too,
whatever account it tries. Unknown user names cost the same hash check as known
ones, and every refusal shows the same message, so the page does not reveal
which accounts exist.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, List, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from review.schema import CONTACT_ROLES, ROLES, login_attempts, users

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
IP_MAX_FAILURES = 20
hasher = PasswordHasher()
_DUMMY_HASH = hasher.hash("not a real password, only for timing")


class UserError(ValueError):
    """A user name, password or role that cannot be used; the message says why."""


@dataclass(frozen=True)
class User:
    """A staff account as the app sees it."""

    id: int
    username: str
    role: str
    disabled: bool = False
    locked_until: Optional[float] = None
    last_login_at: Optional[float] = None
    created_at: float = 0.0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_contacts(self) -> bool:
        """Whether this account may see call-back requests' names and numbers (clinicians and admins)."""
        return self.role in CONTACT_ROLES


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a log-in attempt: ``user`` is set only when it succeeded."""

    user: Optional[User]
    outcome: str  # "ok", "invalid", "locked", "address_blocked"


def check_username(username: str) -> str:
    """The user name, if allowed (2-64 letters, digits, dots, dashes, underscores)."""
    if not USERNAME.fullmatch(username or ""):
        raise UserError("user name: use 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    return username


def check_password(password: str) -> str:
    """The password, if long enough."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"password: use at most {MAX_PASSWORD} characters")
    return password


def check_role(role: str) -> str:
    """The role, if known."""
    if role not in ROLES:
        raise UserError(f"role: use one of {', '.join(ROLES)}")
    return role


def _user(row: sa.engine.Row) -> User:
    return User(row.id, row.username, row.role, bool(row.disabled), row.locked_until, row.last_login_at, row.created_at)


def create_user(
    engine: Engine, username: str, password: str, role: str, clock: Callable[[], float] = time.time
) -> User:
    """Add an account; raises :class:`UserError` for a bad or taken name, short password or unknown role."""
    check_username(username)
    check_password(password)
    check_role(role)
    with engine.begin() as connection:
        taken = connection.execute(sa.select(users.c.id).where(users.c.username == username)).first()
        if taken:
            raise UserError(f"user name: {username!r} already exists")
        connection.execute(sa.insert(users).values(
            username=username, password_hash=hasher.hash(password), role=role, created_at=clock(),
            failed_logins=0, disabled=False,
        ))
    found = get_user_by_name(engine, username)
    assert found is not None
    return found


def get_user(engine: Engine, user_id: int) -> Optional[User]:
    """The account with this id, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def get_user_by_name(engine: Engine, username: str) -> Optional[User]:
    """The account with this user name, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == username)).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> List[User]:
    """Every account, by name."""
    with engine.connect() as connection:
        return [_user(row) for row in connection.execute(sa.select(users).order_by(users.c.username))]


def set_disabled(engine: Engine, user_id: int, disabled: bool) -> None:
    """Disable or re-enable an account."""
    with engine.begin() as connection:
        connection.execute(sa.update(users).where(users.c.id == user_id).values(disabled=disabled))


def unlock(engine: Engine, user_id: int) -> None:
    """Lift a lock-out and reset the failure count."""
    with engine.begin() as connection:
        connection.execute(sa.update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=None))


def set_password(engine: Engine, username: str, password: str) -> None:
    """Replace an account's password (and lift any lock-out)."""
    check_password(password)
    with engine.begin() as connection:
        updated = connection.execute(
            sa.update(users).where(users.c.username == username)
            .values(password_hash=hasher.hash(password), failed_logins=0, locked_until=None)
        )
    if updated.rowcount == 0:
        raise UserError(f"user name: no account {username!r}")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(
    engine: Engine, username: str, password: str, ip: str, max_failures: int, lockout_seconds: float,
    clock: Callable[[], float] = time.time,
) -> LoginResult:
    """Check a log-in, applying the lock-out rules, and record the attempt."""
    now = clock()
    username = (username or "")[:64]
    password = (password or "")[:MAX_PASSWORD]
    with engine.begin() as connection:
        address_failures = connection.execute(
            sa.select(sa.func.count()).select_from(login_attempts).where(
                login_attempts.c.ip == ip, login_attempts.c.at >= now - lockout_seconds,
                login_attempts.c.success.is_(False),
            )
        ).scalar()
        row = connection.execute(sa.select(users).where(users.c.username == username)).first()
        if address_failures >= IP_MAX_FAILURES:
            outcome = "address_blocked"
        elif row is None or row.disabled:
            _verify(_DUMMY_HASH, password)
            outcome = "invalid"
        elif row.locked_until is not None and row.locked_until > now:
            outcome = "locked"
        elif _verify(row.password_hash, password):
            outcome = "ok"
            values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
            if hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = hasher.hash(password)
            connection.execute(sa.update(users).where(users.c.id == row.id).values(**values))
        else:
            failures = (row.failed_logins or 0) + 1
            locked = failures >= max_failures
            outcome = "locked" if locked else "invalid"
            connection.execute(sa.update(users).where(users.c.id == row.id).values(
                failed_logins=0 if locked else failures, locked_until=now + lockout_seconds if locked else None,
            ))
        connection.execute(
            sa.insert(login_attempts).values(at=now, ip=ip[:64], username=username, success=outcome == "ok")
        )
    if outcome != "ok":
        return LoginResult(None, outcome)
    user = get_user(engine, row.id)
    return LoginResult(user, outcome)
