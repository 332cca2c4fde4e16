"""Importing past ideas from the web: a manager uploads a file for a cohort, sees what it would
add, change and leave alone (nothing written), then saves it, or only its good rows, by choice.

The file waits in the database between the two requests (PendingImport), so any app server can
answer the second; it is deleted once saved or cancelled, and a day after it was left."""
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from tracker import clock, permissions
from tracker.extensions import db
from tracker.importers import ImportReport, import_ideas
from tracker.models import PendingImport, Team, User
from tracker.services.errors import NotAllowed, NotFound

KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Preview:
    token: str | None  # None when the file could not be read at all
    filename: str
    team: Team | None
    report: ImportReport


def preview(data: bytes, filename: str, team: Team | None, *, actor: User) -> Preview:
    """What importing the file would do, rows with problems apart; the file kept for the decision."""
    _check(actor)
    report = import_ideas(data, filename, team=team.name if team else None, dry_run=True, skip_invalid=True)
    db.session.execute(sa.delete(PendingImport).where(PendingImport.created_at < clock.now() - KEPT_FOR))
    if report.file_error:
        return Preview(None, filename, team, report)
    pending = PendingImport(id=secrets.token_urlsafe(24), user_id=actor.id, team_id=team.id if team else None,
                            filename=filename[:255], data=data)
    db.session.add(pending)
    db.session.flush()
    return Preview(pending.id, filename, team, report)


def save(token: str, *, good_rows_only: bool, actor: User) -> ImportReport:
    """Import the previewed file: all of it, or, when chosen, its good rows only (without that
    choice, a file with a bad row saves nothing and stays waiting)."""
    pending = _pending(token, actor)
    team = db.session.get(Team, pending.team_id) if pending.team_id else None
    report = import_ideas(pending.data, pending.filename, team=team.name if team else None,
                          skip_invalid=good_rows_only)
    if report.written:
        db.session.delete(pending)
    return report


def cancel(token: str, *, actor: User) -> None:
    db.session.delete(_pending(token, actor))


def _pending(token: str, actor: User) -> PendingImport:
    _check(actor)
    pending = db.session.get(PendingImport, token)
    if pending is None or pending.user_id != actor.id or pending.created_at < clock.now() - KEPT_FOR:
        raise NotFound("no such file waiting for this person")
    return pending


def _check(actor: User) -> None:
    if not permissions.can_import_ideas(actor):
        raise NotAllowed("only managers import ideas")
