"""Accounts: creating them, signing in, passwords, roles and deactivation. Every change is audited.

There is no public sign-up: managers and admins create accounts (or the CLI creates the first
admin). A new account gets a temporary password and must choose its own at first sign-in.
"""
import secrets
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import Role, User, UserRole
from tracker.services import audit
from tracker.services.errors import NotAllowed, ValidationFailed

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class NewAccount:
    name: str
    roles: tuple[Role, ...]
    email: str | None = None
    staff_id: str | None = None
    department: str | None = None
    # A limited account (an external judge) has no role: it can do only what it is assigned to.
    limited: bool = False


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _unknown_account_hash(method: str) -> str:
    """Checked against when the account does not exist, so that both failures take the same time."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def temporary_password() -> str:
    return secrets.token_urlsafe(9)  # 12 characters


def find_by_identifier(identifier: str) -> User | None:
    """The account whose e-mail (any case) or staff ID this is."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return db.session.scalar(sa.select(User).where(sa.or_(
        sa.func.lower(User.email) == identifier.lower(), User.staff_id == identifier)))


def authenticate(identifier: str, password: str, *, address: str | None) -> User | None:
    """The account if the password is right and the account active; None otherwise, for every
    reason alike. Both outcomes are written to the audit log."""
    user = find_by_identifier(identifier)
    stored = (user.password_hash if user is not None and user.password_hash
              else _unknown_account_hash(current_app.config["PASSWORD_HASH_METHOD"]))
    password_ok = check_password_hash(stored, password or "")
    if user is None or not user.is_active or user.access_expired or not user.password_hash or not password_ok:
        audit.record("login_failed", subject=user, identifier=identifier, address=address,
                     detail={"reason": _failure_reason(user, password_ok)})
        return None
    user.last_login_at = clock.now()
    audit.record("login", actor=user, subject=user, address=address)
    return user


def _failure_reason(user: User | None, password_ok: bool) -> str:
    if user is None:
        return "unknown_account"
    if not user.is_active:
        return "inactive"
    if user.access_expired:
        return "expired"
    return "wrong_password" if not password_ok else "no_password"


def create_account(account: NewAccount, *, actor: User | None, address: str | None) -> tuple[User, str]:
    """A new account with a temporary password (returned once, to hand to the person)."""
    if actor is not None and not permissions.can_grant_roles(actor, set(account.roles)):
        raise NotAllowed("only an admin grants the admin role")
    _validate_new_account(account)
    password = temporary_password()
    user = User(
        name=account.name.strip(), email=_clean(account.email), staff_id=_clean(account.staff_id),
        department=_clean(account.department), password_hash=hash_password(password),
        must_change_password=True, roles=[UserRole(role=r) for r in dict.fromkeys(account.roles)],
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account_created", actor=actor, subject=user, address=address,
                 detail={"roles": sorted(r.value for r in account.roles)})
    return user, password


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _validate_new_account(account: NewAccount) -> None:
    reasons = []
    if not (account.name or "").strip():
        reasons.append(("name", _("Enter the person's name.")))
    email, staff_id = _clean(account.email), _clean(account.staff_id)
    if not email and not staff_id:
        reasons.append(("email", _("Enter an e-mail address or a staff ID to sign in with.")))
    if email and db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email.lower())):
        reasons.append(("email", _("An account with this e-mail address already exists.")))
    if staff_id and db.session.scalar(sa.select(User.id).where(User.staff_id == staff_id)):
        reasons.append(("staff_id", _("An account with this staff ID already exists.")))
    if not account.roles and not account.limited:
        reasons.append(("roles", _("Choose at least one role.")))
    if reasons:
        raise ValidationFailed(reasons)


def change_password(user: User, current: str, new: str, *, address: str | None) -> None:
    """The person's own change; it ends their other sessions."""
    reasons = []
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        reasons.append(("current_password", _("The current password is not right.")))
    reasons.extend(password_problems(new, current))
    if reasons:
        raise ValidationFailed(reasons)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_version += 1
    audit.record("password_changed", actor=user, subject=user, address=address)


def password_problems(new: str, current: str | None = None) -> list[tuple[str, str]]:
    if len(new or "") < MIN_PASSWORD_LENGTH:
        return [("new_password", _("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))]
    if current is not None and new == current:
        return [("new_password", _("Choose a password different from the current one."))]
    return []


def reset_password(user: User, *, actor: User, address: str | None) -> str:
    """A manager's reset: a new temporary password that must be changed at the next sign-in."""
    _check_may_manage(actor, user)
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_version += 1
    audit.record("password_reset", actor=actor, subject=user, address=address)
    return password


def set_active(user: User, active: bool, *, actor: User, address: str | None) -> None:
    """Deactivating ends the account's sessions at once; its records stay."""
    _check_may_manage(actor, user)
    if user.id == actor.id and not active:
        raise ValidationFailed([("active", _("You cannot deactivate your own account."))])
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        user.session_version += 1
    audit.record("account_activated" if active else "account_deactivated", actor=actor,
                 subject=user, address=address)


def _check_may_manage(actor: User | None, user: User) -> None:
    if actor is not None and not permissions.can_manage_account(actor, user):
        raise NotAllowed("only an admin manages an admin account")


def set_roles(user: User, roles: set[Role], *, actor: User | None, address: str | None) -> None:
    _check_may_manage(actor, user)
    if actor is not None and not permissions.can_grant_roles(actor, roles):
        raise NotAllowed("only an admin grants the admin role")
    if not roles:
        raise ValidationFailed([("roles", _("Choose at least one role."))])
    if actor is not None and user.id == actor.id and not roles & {Role.MANAGER, Role.ADMIN}:
        raise ValidationFailed([("roles", _("You cannot remove your own right to manage accounts."))])
    before = {r.value for r in user.role_set}
    if before == {r.value for r in roles}:
        return
    # change the collection in place: replacing it would insert before deleting (unique roles)
    for held in [r for r in user.roles if r.role not in roles]:
        user.roles.remove(held)
    user.roles.extend(UserRole(role=r) for r in sorted(roles - user.role_set))
    audit.record("roles_changed", actor=actor, subject=user, address=address,
                 detail={"before": sorted(before), "after": sorted(r.value for r in roles)})


def load_session_user(session_id: str) -> User | None:
    """The signed-in account for a session's "id:version", if that session is still valid."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(sa.select(User).where(User.id == int(user_id)).options(joinedload(User.roles)))
    if user is None:
        return None
    if not user.is_active or user.access_expired or user.session_version != int(version):
        return None
    return user


def list_accounts() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.is_active.desc(), User.name)))


def get_account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def set_known_password(user: User, password: str) -> None:
    """For demo accounts only: a password everyone may know, not to be changed at sign-in."""
    problems = password_problems(password)
    if problems:
        raise ValidationFailed(problems)
    user.password_hash = hash_password(password)
    user.must_change_password = False
