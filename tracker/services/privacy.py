"""Personal data as a Korean public body must keep it (개인정보 보호법): the published processing
notice, a person's own data to download, and pseudonymisation once the retention period is over.

Pseudonymising keeps every proposal, review, score and history entry: the person's name becomes a
stable pseudonym ("소소기획단 1기 단원 3") wherever it was written, their e-mail, staff ID and
department go, the account is disabled. Sign-in records go after their own, shorter period."""
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import markdown
import nh3
import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Comment,
    JudgeScore,
    Membership,
    MentorAssignment,
    Notification,
    Proposal,
    ProposalAuthor,
    Review,
    Role,
    Subcommittee,
    Team,
    TeamStatus,
    User,
    UserSession,
)
from tracker.services import audit, settings
from tracker.services.errors import NotAllowed, ValidationFailed
from tracker.services.proposals import text_index

NOTICE_KEY, RETENTION_KEY = "privacy_notice", "retention"
NOTICE_FILES = Path(__file__).resolve().parents[1] / "data"
ALLOWED_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "a", "br", "blockquote", "code"}
SIGN_IN_EVENTS = ("login", "login_failed", "logout")
DEFAULT_RETENTION = {"years_after_cohort": 3, "sign_in_years": 1}


# ---- the notice -------------------------------------------------------------------------------

def notice_source(language: str) -> str:
    written = settings.stored(NOTICE_KEY).get(language)
    return written or (NOTICE_FILES / f"privacy_notice.{'en' if language == 'en' else 'ko'}.md").read_text("utf-8")


def notice_html(language: str) -> Markup:
    """The notice as HTML: Markdown, then only plain tags and links kept (nothing an admin writes runs)."""
    html = markdown.markdown(notice_source(language), extensions=["sane_lists"])
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https",
                                                                                            "mailto"}))


def save_notice(korean: str, english: str, *, actor: User) -> None:
    if not permissions.can_edit_privacy_notice(actor):
        raise NotAllowed("only admins edit the privacy notice")
    if not (korean or "").strip():
        raise ValidationFailed([("korean", _("The notice needs its Korean text."))])
    settings.store(NOTICE_KEY, {"ko": korean.strip(), "en": (english or "").strip()}, actor=actor)
    audit.record("privacy_notice_changed", actor=actor)


# ---- a person's own data ----------------------------------------------------------------------

def my_data(user: User) -> dict:
    """Everything the tracker holds about this person, and nothing about anyone else."""
    def when(value):
        return value.isoformat() if value else None

    authored = db.session.scalars(sa.select(Proposal).join(ProposalAuthor).where(ProposalAuthor.user_id == user.id)
                                  .order_by(Proposal.id)).all()
    reviews = db.session.scalars(sa.select(Review).where(Review.mentor_id == user.id).order_by(Review.id)).all()
    return {
        "account": {"name": user.name, "email": user.email, "staff_id": user.staff_id, "department": user.department,
                    "active": user.is_active, "created_at": when(user.created_at),
                    "last_sign_in": when(user.last_login_at), "roles": sorted(r.value for r in user.role_set)},
        "cohorts": [{"team": m.team.name, "subcommittee": m.subcommittee.name_ko if m.subcommittee else None,
                     "department": m.department} for m in db.session.scalars(
                         sa.select(Membership).where(Membership.user_id == user.id))],
        "mentoring": [{"subcommittee": f"{a.subcommittee.team.name} · {a.subcommittee.name_ko}",
                       "kind": a.kind.value, "organisation": a.organisation, "field": a.field}
                      for a in db.session.scalars(sa.select(MentorAssignment).where(MentorAssignment.user_id == user.id))],
        "proposals_authored": [{"id": p.id, "team": p.team.name, "title": p.title, "stage": p.stage.value,
                                "created_at": when(p.created_at)} for p in authored],
        "comments": [{"proposal_id": c.proposal_id, "body": c.body, "written_at": when(c.created_at)}
                     for c in db.session.scalars(sa.select(Comment).where(Comment.author_id == user.id)
                                                 .order_by(Comment.id))],
        "reviews": [{"proposal_id": r.proposal_id, "round": r.round, "recommendation": r.recommendation.value,
                     "comment": r.comment, "submitted_at": when(r.submitted_at),
                     "scores": {s.criterion.name_ko: s.score for s in r.scores}} for r in reviews],
        "presentation_scores": [{"event_id": s.event_id, "proposal_id": s.proposal_id, "criterion": s.criterion,
                                 "score": s.score, "saved_at": when(s.saved_at)}
                                for s in db.session.scalars(sa.select(JudgeScore).where(JudgeScore.judge_id == user.id)
                                                            .order_by(JudgeScore.id))],
        "notifications": [{"kind": n.kind, "proposal_id": n.proposal_id, "created_at": when(n.created_at),
                           "read_at": when(n.read_at)}
                          for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                                      .order_by(Notification.id))],
        "sign_in_history": [{"event": e.event, "at": when(e.created_at), "address": e.address}
                            for e in db.session.scalars(
                                sa.select(AuditEvent).where(AuditEvent.event.in_(SIGN_IN_EVENTS),
                                                            sa.or_(AuditEvent.subject_id == user.id,
                                                                   AuditEvent.actor_id == user.id))
                                .order_by(AuditEvent.id))],
    }


# ---- retention --------------------------------------------------------------------------------

def retention() -> dict:
    return settings.stored(RETENTION_KEY, DEFAULT_RETENTION)


@dataclass(frozen=True)
class Due:
    user: User
    last_cohort: Team
    kept_until: date
    pseudonym: str


def due(today: date | None = None) -> list[Due]:
    """The people whose every cohort ended more than the retention period ago (managers and admins,
    who run the programme, and accounts already pseudonymised are not)."""
    today = today or clock.today()
    years = retention()["years_after_cohort"]
    ties: dict[int, list[tuple[Team, str]]] = {}
    for user_id, team, kind in [*((m.user_id, m.team, "member") for m in db.session.scalars(sa.select(Membership))),
                                *((a.user_id, a.subcommittee.team, "mentor")
                                  for a in db.session.scalars(sa.select(MentorAssignment)))]:
        ties.setdefault(user_id, []).append((team, kind))
    found = []
    for user_id, teams in sorted(ties.items()):
        user = db.session.get(User, user_id)
        if user.pseudonymised_at is not None or user.role_set & {Role.MANAGER, Role.ADMIN}:
            continue
        if any(team.status != TeamStatus.ARCHIVED for team, _kind in teams):
            continue
        last = max((team for team, _kind in teams), key=_end_of)
        kept_until = clock.months_after(_end_of(last), 12 * years)
        if kept_until < today:
            kind = next(k for t, k in teams if t.id == last.id)
            found.append(Due(user, last, kept_until, _pseudonym(user, last, kind)))
    return found


def pseudonymise(people: list[Due], *, actor: User | None, dry_run: bool = False) -> int:
    """Pseudonymise these people (see the module); returns how many. Idempotent: an account done
    before is left alone. Sign-in records older than their period are deleted too."""
    if actor is not None and not permissions.can_run_retention(actor):
        raise NotAllowed("only admins run the retention")
    done = 0
    for entry in people:
        user = entry.user
        if user.pseudonymised_at is not None:
            continue
        done += 1
        if dry_run:
            continue
        _replace_everywhere({n: entry.pseudonym for n in (user.name,) if n} |
                            {v: "" for v in (user.email, user.staff_id) if v})
        user.name, user.email, user.staff_id, user.department = entry.pseudonym, None, None, None
        user.password_hash, user.is_active, user.pseudonymised_at = None, False, clock.now()
        user.session_version += 1
        db.session.execute(sa.update(Membership).where(Membership.user_id == user.id).values(department=None))
        db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.subject_id == user.id)
                           .values(identifier=None, address=None))
    removed = 0 if dry_run else old_sign_ins_deleted()
    if not dry_run:
        audit.record("personal_data_pseudonymised", actor=actor,
                     detail={"people": done, "sign_in_records_deleted": removed})
        db.session.flush()
    return done


def old_sign_ins_deleted() -> int:
    cutoff = clock.now() - timedelta(days=365 * retention()["sign_in_years"])
    return db.session.execute(sa.delete(AuditEvent).where(AuditEvent.event.in_(SIGN_IN_EVENTS),
                                                          AuditEvent.created_at < cutoff)).rowcount


def _replace_everywhere(words: dict[str, str]) -> None:
    """Every text the tracker keeps (proposals, comments, notes, histories …) with these words
    replaced; JSON values are walked. The longest word first, so that a name inside a longer one
    is not taken apart."""
    ordered = sorted(words.items(), key=lambda item: -len(item[0]))
    touched: set[int] = set()
    for table in db.metadata.sorted_tables:
        if table.name in ("alembic_version", "proposal_gram", "proposal_text", "user_account"):
            continue
        texts = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text)) and not c.primary_key
                 and not c.foreign_keys and not isinstance(c.type, sa.Enum)]
        jsons = [c for c in table.columns if isinstance(c.type, sa.JSON)]
        key = list(table.primary_key.columns)
        for column in texts:
            for word, replacement in ordered:
                if table.name == "proposal":  # their text index is written again below
                    touched.update(db.session.scalars(sa.select(table.c.id).where(
                        column.contains(word, autoescape=True))))
                db.session.execute(sa.update(table).where(column.contains(word, autoescape=True))
                                   .values({column.name: sa.func.replace(column, word, replacement)}))
        for column in jsons:
            for row in db.session.execute(sa.select(*key, column).where(column.is_not(None))).all():
                value = row[-1]
                new = _walk(value, ordered)
                if new != value:
                    db.session.execute(sa.update(table).where(*(k == row[i] for i, k in enumerate(key)))
                                       .values({column.name: new}))
    if touched:
        text_index.index_proposals(touched)


def _walk(value, ordered):
    if isinstance(value, str):
        for word, replacement in ordered:
            value = value.replace(word, replacement)
        return value
    if isinstance(value, list):
        return [_walk(v, ordered) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, ordered) for k, v in value.items()}
    return value


def _end_of(team: Team) -> date:
    return team.ends_on or date(team.year or clock.today().year, 12, 31)


def _pseudonym(user: User, team: Team, kind: str) -> str:
    """Stable: the person's place among the cohort's members (or mentors), by account number."""
    if kind == "member":
        ids = list(db.session.scalars(sa.select(Membership.user_id).where(Membership.team_id == team.id)
                                      .order_by(Membership.user_id)))
    else:
        ids = list(dict.fromkeys(db.session.scalars(
            sa.select(MentorAssignment.user_id).join(Subcommittee, Subcommittee.id == MentorAssignment.subcommittee_id)
            .where(Subcommittee.team_id == team.id).order_by(MentorAssignment.user_id))))
    # in Korean whoever runs it: the archive's records read the same in every language
    return f"{team.name} {'단원' if kind == 'member' else '멘토'} {ids.index(user.id) + 1}"
