"""The audit log: services record, the caller commits with the change it belongs to."""
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
