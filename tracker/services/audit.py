"""The audit log: services record, the caller commits with the change it belongs to; managers read it."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import AuditEvent, User


def record(event: str, *, actor: User | None = None, subject: User | None = None,
           identifier: str | None = None, address: str | None = None,
           detail: dict | None = None) -> AuditEvent:
    entry = AuditEvent(event=event, actor=actor, subject=subject,
                       identifier=(identifier or None) and identifier[:254],
                       address=(address or None) and address[:64], detail=detail)
    db.session.add(entry)
    return entry


EVENTS = ("login", "login_failed", "logout", "password_changed", "password_reset", "account_created",
          "roles_changed", "account_activated", "account_deactivated", "signed_out_everywhere", "settings_changed")


def events(kind: str | None, page: int, per_page: int = 50) -> tuple[list[AuditEvent], int, int, int]:
    """One page of the log, newest first: (events, total, the page shown, pages)."""
    conditions = [AuditEvent.event == kind] if kind in EVENTS else []
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*conditions))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.scalars(
        sa.select(AuditEvent).where(*conditions)
        .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.subject))
        .order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total, page, pages
