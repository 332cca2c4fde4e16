"""Editing a proposal: every save is a revision, and a stale save is merged, never lost.

Each edit form carries the proposal's version it was opened at. On save, the revisions written
since then tell which fields somebody else changed and from what. Fields only one side changed
are merged; a field both sides changed differently stops the save and is shown to the person
(``EditConflict``), who decides and saves again.
"""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import clock, permissions
from tracker.extensions import db
from tracker.models import Membership, Proposal, ProposalAuthor, ProposalReference, ProposalRevision, User
from tracker.services.errors import NotAllowed, ValidationFailed
from tracker.services.proposals import text_index

EDIT_ACTION = "edit"
TEXT_FIELDS = ("title", "summary", "problem", "proposal_text", "expected_effect", "beneficiaries",
               "department", "notes")
LIMITS = {"title": 200, "summary": 500, "beneficiaries": 300, "department": 100}
MAX_BUDGET = 10**13
MAX_REFERENCES = 20


@dataclass(frozen=True)
class ReferenceDraft:
    city: str | None = None
    title: str | None = None
    url: str | None = None
    notes: str | None = None

    def text(self) -> str:
        return " · ".join(v for v in (self.city, self.title, self.url, self.notes) if v)


@dataclass
class ProposalDraft:
    """What an edit form holds: every editable field as plain values."""

    title: str = ""
    summary: str | None = None
    problem: str | None = None
    proposal_text: str | None = None
    expected_effect: str | None = None
    beneficiaries: str | None = None
    department: str | None = None
    notes: str | None = None
    budget_krw: int | None = None
    subcommittee_id: int | None = None
    coauthor_ids: list[int] = field(default_factory=list)
    references: list[ReferenceDraft] = field(default_factory=list)
    builds_on_id: int | None = None


@dataclass(frozen=True)
class Conflict:
    field: str
    theirs: object
    mine: object
    by: str
    at: datetime


class EditConflict(Exception):
    """Somebody saved the same fields differently since this form was opened."""

    def __init__(self, conflicts: list[Conflict], version: int, theirs_only: set[str]):
        super().__init__(", ".join(c.field for c in conflicts))
        self.conflicts = conflicts
        self.version = version
        self.theirs_only = theirs_only  # fields only the other person changed: show their values


def draft_of(proposal: Proposal) -> ProposalDraft:
    return ProposalDraft(
        **{name: getattr(proposal, name) for name in TEXT_FIELDS}, budget_krw=proposal.budget_krw,
        subcommittee_id=proposal.subcommittee_id,
        coauthor_ids=[a.user_id for a in proposal.authors if a.user_id is not None],
        references=[ReferenceDraft(r.city, r.title, r.url, r.notes) for r in proposal.references],
        builds_on_id=proposal.builds_on_id)


def snapshot(proposal: Proposal) -> dict:
    """The proposal's editable fields as the edit history writes them."""
    return _snapshot(draft_of(proposal), proposal)


def _snapshot(draft: ProposalDraft, proposal: Proposal) -> dict:
    subcommittees = {s.id: s.name_ko for s in proposal.team.subcommittees}
    names = _account_names(draft.coauthor_ids)
    return {
        **{name: getattr(draft, name) for name in TEXT_FIELDS},
        "budget_krw": draft.budget_krw,
        "subcommittee": subcommittees.get(draft.subcommittee_id),
        "authors": [a.name for a in proposal.authors if a.user_id is None]
                   + [names[i] for i in draft.coauthor_ids if i in names],
        "references": [r.text() for r in draft.references],
        "builds_on": draft.builds_on_id,
    }


def _account_names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def save(proposal: Proposal, draft: ProposalDraft, *, base_version: int, actor: User) -> ProposalRevision | None:
    """Save an edit made on ``base_version``; None when nothing changed."""
    if not permissions.can_edit_proposal(actor, proposal):
        raise NotAllowed("this person may not edit this proposal now")
    draft = _cleaned(draft)
    _validate(proposal, draft, actor)
    current, mine = snapshot(proposal), _snapshot(draft, proposal)
    keep_theirs = set()
    if base_version != proposal.version:
        keep_theirs = _merge(proposal, current, mine, base_version)
    changes = {key: [current[key], mine[key]] for key in current
               if key not in keep_theirs and current[key] != mine[key]}
    if not changes:
        return None
    _apply(proposal, draft, changes)
    proposal.updated_at = clock.now()  # the row is written even when only authors or references change
    revision = ProposalRevision(proposal=proposal, actor=actor, source=EDIT_ACTION, changes=changes)
    db.session.add(revision)
    db.session.flush()
    revision.proposal_version = proposal.version
    text_index.index_proposals([proposal.id])
    return revision


def _merge(proposal: Proposal, current: dict, mine: dict, base_version: int) -> set[str]:
    """The fields to leave as others saved them; raises EditConflict where both sides differ."""
    since = db.session.scalars(
        sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id,
                                          ProposalRevision.proposal_version > base_version)
        .order_by(ProposalRevision.id)).all()
    base, last_by = {}, {}
    for revision in since:
        for key, (old, _new) in revision.changes.items():
            base.setdefault(key, old)
            last_by[key] = revision
    keep_theirs, conflicts = set(), []
    for key, base_value in base.items():
        if key not in mine or mine[key] == current[key]:
            continue
        if mine[key] == base_value:
            keep_theirs.add(key)  # only they changed it
        else:
            by = last_by[key]
            conflicts.append(Conflict(key, current[key], mine[key],
                                      by.actor.name if by.actor else _("Import"), by.created_at))
    if conflicts:
        raise EditConflict(conflicts, proposal.version, keep_theirs)
    return keep_theirs


def _cleaned(draft: ProposalDraft) -> ProposalDraft:
    def clean(value):
        return value.strip() or None if isinstance(value, str) else value

    for name in TEXT_FIELDS:
        setattr(draft, name, clean(getattr(draft, name)))
    draft.title = draft.title or ""
    draft.coauthor_ids = list(dict.fromkeys(draft.coauthor_ids))
    draft.references = [r for r in (ReferenceDraft(*(clean(v) for v in (x.city, x.title, x.url, x.notes)))
                                    for x in draft.references) if r.text()]
    return draft


def _validate(proposal: Proposal, draft: ProposalDraft, actor: User) -> None:
    reasons = []
    if not draft.title:
        reasons.append(("title", _("Enter a title.")))
    for name, limit in LIMITS.items():
        value = getattr(draft, name) or ""
        if len(value) > limit:
            reasons.append((name, _("Too long: at most %(limit)d characters (this has %(count)d).",
                                    limit=limit, count=len(value))))
    if draft.budget_krw is not None and not 0 <= draft.budget_krw <= MAX_BUDGET:
        reasons.append(("budget_krw", _("Enter a budget between 0 and 10 trillion won.")))
    if draft.subcommittee_id is not None and draft.subcommittee_id not in {
            s.id for s in proposal.team.subcommittees}:
        reasons.append(("subcommittee_id", _("Choose one of this team's subcommittees.")))
    members = set(db.session.scalars(sa.select(Membership.user_id).where(Membership.team_id == proposal.team_id)))
    already = {a.user_id for a in proposal.authors}
    if set(draft.coauthor_ids) - members - already:
        reasons.append(("coauthor_ids", _("Co-authors must be members of the team.")))
    if set(draft.coauthor_ids) != already - {None}:
        if not permissions.can_change_authors(actor, proposal):
            reasons.append(("coauthor_ids", _("Only an author of the proposal or a manager can change its authors.")))
        elif not draft.coauthor_ids and None not in already:
            reasons.append(("coauthor_ids", _("A proposal keeps at least one author.")))
    if len(draft.references) > MAX_REFERENCES:
        reasons.append(("references", _("At most %(count)d benchmarked cases.", count=MAX_REFERENCES)))
    for reference in draft.references:
        if reference.url and not reference.url.lower().startswith(("http://", "https://")):
            reasons.append(("references", _("A link must start with http:// or https://.")))
    if draft.builds_on_id == proposal.id:
        reasons.append(("builds_on_id", _("No. %(number)d is this proposal itself: give the number of the earlier "
                                          "idea it builds on.", number=proposal.id)))
    elif draft.builds_on_id is not None:
        earlier = db.session.get(Proposal, draft.builds_on_id)
        if earlier is None or not permissions.can_view_proposal(actor, earlier):
            reasons.append(("builds_on_id", _("There is no earlier proposal no. %(number)d that you can see.",
                                              number=draft.builds_on_id)))
    if reasons:
        raise ValidationFailed(reasons)


def _apply(proposal: Proposal, draft: ProposalDraft, changes: dict) -> None:
    for name in (*TEXT_FIELDS, "budget_krw"):
        if name in changes:
            setattr(proposal, name, getattr(draft, name))
    if "subcommittee" in changes:
        proposal.subcommittee_id = draft.subcommittee_id
    if "builds_on" in changes:
        proposal.builds_on_id = draft.builds_on_id
    if "authors" in changes:
        named = [a for a in proposal.authors if a.user_id is None]
        kept = {a.user_id: a for a in proposal.authors if a.user_id is not None}
        authors = named + [kept.get(i) or ProposalAuthor(user_id=i) for i in draft.coauthor_ids]
        for position, author in enumerate(authors):
            author.position = position
        proposal.authors = authors
    if "references" in changes:
        proposal.references = [ProposalReference(city=r.city, title=r.title, url=r.url, notes=r.notes)
                               for r in draft.references]
