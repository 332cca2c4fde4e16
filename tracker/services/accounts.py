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
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import Role, Subcommittee, TeamStatus, User, UserRole, UserSession
from tracker.services import audit, teams
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
    # the cohort's subcommittee a member joins (the team follows from it)
    subcommittee: Subcommittee | None = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _unknown_account_hash(method: str) -> str:
    """Checked against when the account does not exist, so that both failures take the same time."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def temporary_password() -> str:
    return secrets.token_urlsafe(9)  # 12 characters


def normalised_identifier(identifier: str | None) -> str:
    """What a sign-in looks an account up by (and what its attempts are counted under)."""
    return (identifier or "").strip().lower()[:254]


def find_by_identifier(identifier: str) -> User | None:
    """The one account whose e-mail (any case) or staff ID (any case) this is; None when none is,
    or when two are (accounts are kept from that, but older ones may be)."""
    identifier = normalised_identifier(identifier)
    if not identifier:
        return None
    found = db.session.scalars(sa.select(User).where(_signs_in_with(identifier)).limit(2)).all()
    return found[0] if len(found) == 1 else None


def _signs_in_with(identifier: str) -> sa.ColumnElement[bool]:
    """The accounts whose e-mail or staff ID, in any case, is this (normalised) identifier."""
    return sa.or_(sa.func.lower(User.email) == identifier, sa.func.lower(User.staff_id) == identifier)


def find_any(identifier: str) -> bool:
    """Whether any account signs in with this e-mail or staff ID."""
    return db.session.scalar(sa.select(User.id).where(_signs_in_with(normalised_identifier(identifier)))
                             .limit(1)) is not None


@dataclass(frozen=True)
class SignIn:
    user: User | None
    # Said to the person only after the right password: why a right password does not sign them in.
    refusal: str | None = None


def authenticate(identifier: str, password: str, *, address: str | None) -> SignIn:
    """The account if the password is right and the account usable. A wrong password or an
    unknown account get the same answer in the same time; what stops a right password (account
    deactivated, access ended, temporary password expired) is said. Both outcomes are audited."""
    user = find_by_identifier(identifier)
    stored = (user.password_hash if user is not None and user.password_hash
              else _unknown_account_hash(current_app.config["PASSWORD_HASH_METHOD"]))
    password_ok = check_password_hash(stored, password or "")
    reason = _failure_reason(user, password_ok)
    if reason:
        # what was typed is kept only when it names an account: a password typed into the name field is not
        audit.record("login_failed", subject=user, identifier=identifier if user is not None else None,
                     address=address, detail={"reason": reason})
        return SignIn(None, REFUSALS.get(reason) if password_ok and user is not None else None)
    user.last_login_at = clock.now()
    audit.record("login", actor=user, subject=user, address=address)
    return SignIn(user)


REFUSALS = {
    "inactive": _l("This account has been deactivated. Ask a programme manager if you need it again."),
    "expired": _l("This judge's account has ended with the presentation event."),
    "temporary_expired": _l("Your temporary password has expired. Ask a programme manager for a new one."),
}


def _failure_reason(user: User | None, password_ok: bool) -> str | None:
    if user is None:
        return "unknown_account"
    if not user.password_hash:
        return "no_password"
    if not password_ok:
        return "wrong_password"
    if not user.is_active:
        return "inactive"
    if user.access_expired:
        return "expired"
    if user.must_change_password and user.temporary_password_until and user.temporary_password_until < clock.now():
        return "temporary_expired"
    return None


def start_session(user: User) -> str:
    """A new signed-in session of this person (its id goes into the session cookie); the person's
    sessions older than SESSION_MAX_AGE go."""
    oldest = clock.now() - current_app.config["SESSION_MAX_AGE"]
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id, UserSession.created_at < oldest))
    session_id = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=session_id, user_id=user.id))
    return session_id


def end_session(session_id: str | None) -> None:
    if session_id:
        db.session.execute(sa.delete(UserSession).where(UserSession.id == session_id))


def end_every_session(user: User, *, actor: User, address: str | None) -> int:
    """Sign this person out on every browser; returns how many sessions ended."""
    if not permissions.can_end_sessions(actor, user):
        raise NotAllowed("only the person or whoever manages their account signs them out everywhere")
    ended = db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id)).rowcount
    audit.record("signed_out_everywhere", actor=actor, subject=user, address=address, detail={"sessions": ended})
    return ended


def create_account(account: NewAccount, *, actor: User | None, address: str | None) -> tuple[User, str]:
    """A new account with a temporary password (returned once, to hand to the person)."""
    if actor is not None and not permissions.can_grant_roles(actor, set(account.roles)):
        raise NotAllowed("only an admin grants the admin role")
    _validate_new_account(account)
    password = temporary_password()
    user = User(
        name=account.name.strip(), email=_clean(account.email), staff_id=_clean(account.staff_id),
        department=_clean(account.department), password_hash=hash_password(password),
        must_change_password=True, temporary_password_until=_temporary_until(),
        roles=[UserRole(role=r) for r in dict.fromkeys(account.roles)],
    )
    db.session.add(user)
    db.session.flush()
    if account.subcommittee is not None:
        teams.add_member(account.subcommittee.team, user, subcommittee=account.subcommittee,
                         department=user.department)
    audit.record("account_created", actor=actor, subject=user, address=address,
                 detail={"roles": sorted(r.value for r in account.roles)})
    return user, password


def _temporary_until():
    return clock.now() + current_app.config["TEMPORARY_PASSWORD_LIFETIME"]


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _validate_new_account(account: NewAccount) -> None:
    reasons = []
    if not (account.name or "").strip():
        reasons.append(("name", _("Enter the person's name.")))
    email, staff_id = _clean(account.email), _clean(account.staff_id)
    if not email and not staff_id:
        reasons.append(("email", _("Enter an e-mail address or a staff ID to sign in with.")))
    # each sign-in name (an e-mail or a staff ID, any case) names one account only
    if email and find_any(email):
        reasons.append(("email", _("An account already signs in with this e-mail address.")))
    if staff_id and find_any(staff_id):
        reasons.append(("staff_id", _("An account already signs in with this staff ID.")))
    if email and staff_id and normalised_identifier(email) == normalised_identifier(staff_id):
        reasons.append(("staff_id", _("The staff ID and the e-mail address must differ.")))
    if not account.roles and not account.limited:
        reasons.append(("roles", _("Choose at least one role.")))
    if account.subcommittee is not None:
        reasons += _placement_problems(account.subcommittee)
    if reasons:
        raise ValidationFailed(reasons)


def _placement_problems(subcommittee: Subcommittee) -> list[tuple[str, str]]:
    if subcommittee.team.status != TeamStatus.ACTIVE:
        return [("subcommittee", _("People join a cohort that is still running."))]
    return []


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
    user.temporary_password_until = None
    user.session_version += 1
    audit.record("password_changed", actor=user, subject=user, address=address)


def password_problems(new: str, current: str | None = None) -> list[tuple[str, str]]:
    if len(new or "") < MIN_PASSWORD_LENGTH:
        return [("new_password", _("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))]
    if current is not None and new == current:
        return [("new_password", _("Choose a password different from the current one."))]
    return []


def reset_password(user: User, *, actor: User, address: str | None) -> str:
    """A reset by a manager (an admin for a manager or an admin): a new temporary password that
    works for TEMPORARY_PASSWORD_LIFETIME and must be changed at the next sign-in."""
    if not permissions.can_reset_password(actor, user):
        raise NotAllowed("only an admin resets a manager's or an admin's password")
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.temporary_password_until = _temporary_until()
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


def load_session_user(session_id: str, browser_session: str | None) -> User | None:
    """The signed-in account for a session's "id:version" and its row, if that session is still valid."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit() or not browser_session:
        return None
    oldest = clock.now() - current_app.config["SESSION_MAX_AGE"]
    user = db.session.scalar(
        sa.select(User).join(UserSession, UserSession.user_id == User.id)
        .where(User.id == int(user_id), UserSession.id == browser_session, UserSession.created_at >= oldest)
        .options(joinedload(User.roles)))
    if user is None:
        return None
    if not user.is_active or user.access_expired or user.session_version != int(version):
        return None
    return user


def place_member(user: User, subcommittee: Subcommittee, *, actor: User) -> None:
    """Put a person in a cohort's subcommittee (or move them to another one of that cohort)."""
    if not permissions.can_manage_account(actor, user):
        raise NotAllowed("only managers place people in cohorts")
    problems = _placement_problems(subcommittee)
    if problems:
        raise ValidationFailed(problems)
    teams.add_member(subcommittee.team, user, subcommittee=subcommittee, department=user.department)


def managers_to_ask() -> list[User]:
    """Who a person without a cohort should ask: the active managers (not admins only)."""
    return list(db.session.scalars(
        sa.select(User).join(UserRole).where(UserRole.role == Role.MANAGER, User.is_active.is_(True))
        .order_by(User.name).limit(5)))


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
