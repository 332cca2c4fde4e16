"""Creating and changing proposals; every change leaves a history row.

Imported records enter here through the ``import`` action: the stage is never written without a
matching StageChange, and every field change is kept as a ProposalRevision.
"""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from tracker import clock
from tracker.extensions import db
from tracker.models import (
    Proposal,
    ProposalAuthor,
    ProposalRevision,
    Stage,
    StageChange,
    Subcommittee,
    Team,
    User,
    further,
)
from tracker.services.proposals import text_index

IMPORT_ACTION = "import"
UNCHANGED = object()  # "leave this as it is", where None would mean "clear it"

# The proposal fields that imports and edits may set, with their column names.
EDITABLE_FIELDS = (
    "title", "summary", "problem", "proposal_text", "expected_effect", "beneficiaries",
    "budget_krw", "department", "notes", "created_on",
)


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def find_by_source_keys(team: Team, keys: list[str]) -> dict[str, Proposal]:
    """The team's proposals with these source keys, loaded in a few queries (with their authors)."""
    found: dict[str, Proposal] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        query = (
            sa.select(Proposal)
            .where(Proposal.team_id == team.id, Proposal.source_key.in_(chunk))
            .options(sa.orm.selectinload(Proposal.authors).joinedload(ProposalAuthor.user))
        )
        found.update({p.source_key: p for p in db.session.scalars(query)})
    return found


@dataclass(frozen=True)
class NewImported:
    """A proposal to create from an imported record."""

    source_key: str
    fields: dict
    stage: Stage
    subcommittee: Subcommittee | None
    author_names: list[str]


def accounts_named(names) -> dict[str, int]:
    """The active accounts of these author names, for the names exactly one account bears (a name
    two people share, or nobody's, stays a name)."""
    wanted = sorted({n for n in names if n})
    found: dict[str, list[int]] = {}
    for start in range(0, len(wanted), 500):
        for user_id, name in db.session.execute(sa.select(User.id, User.name).where(
                User.name.in_(wanted[start:start + 500]), User.is_active.is_(True))):
            found.setdefault(name, []).append(user_id)
    return {name: ids[0] for name, ids in found.items() if len(ids) == 1}


def create_imported(team: Team, records: list[NewImported], *, actor: User | None = None,
                    note: str | None = None, accounts: dict[str, int] | None = None) -> list[int]:
    """Create proposals from imported records, each entering its stage through the import action.

    Inserted in bulk (one statement per table and batch) so that a 10,000-row archive file
    imports in seconds; returns the new proposals' ids in the records' order."""
    if not records:
        return []
    now = clock.now()
    entered = [_recorded_moment(r, team, now) for r in records]
    rows = [{"team_id": team.id, "source_key": r.source_key, "stage": r.stage,
             "furthest_stage": further(Stage.IDEA, r.stage), "stage_entered_at": at,
             "subcommittee_id": r.subcommittee.id if r.subcommittee else None,
             **{name: r.fields.get(name) for name in EDITABLE_FIELDS}} for r, at in zip(records, entered)]
    keys = [r.source_key for r in records]
    if all(keys) and len(set(keys)) == len(keys):
        # one executemany, then the new ids by (team, source key), which is unique: an INSERT with
        # RETURNING in the rows' order runs row by row on SQLite (no sentinel column to sort by)
        db.session.execute(sa.insert(Proposal.__table__), rows)  # Core: the ORM's bulk path adds nothing here
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            found.update(db.session.execute(
                sa.select(Proposal.source_key, Proposal.id)
                .where(Proposal.team_id == team.id, Proposal.source_key.in_(keys[start:start + 500]))).all())
        ids = [found[key] for key in keys]
    else:
        ids = list(db.session.scalars(
            sa.insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True), rows))
    actor_id = actor.id if actor else None
    db.session.execute(sa.insert(StageChange.__table__), [
        {"proposal_id": pid, "from_stage": None, "to_stage": r.stage, "action": IMPORT_ACTION,
         "actor_id": actor_id, "note": note, "created_at": at} for pid, r, at in zip(ids, records, entered)])
    accounts = accounts or {}
    authors = [{"proposal_id": pid, "user_id": accounts.get(name), "name": None if name in accounts else name,
                "position": i} for pid, r in zip(ids, records) for i, name in enumerate(r.author_names)]
    if authors:
        db.session.execute(sa.insert(ProposalAuthor.__table__), authors)
    text_index.index_proposals(ids, new=True)
    return ids


def _recorded_moment(record: NewImported, team: Team, now: datetime) -> datetime:
    """When an imported record entered its stage, as far as the record tells: its registration date
    (등록일), or else the end of its cohort's programme year; never later than now. A past
    cohort's projects then count in their own year's chart and follow-up, not on the import day."""
    day = record.fields.get("created_on") or team.ends_on or (date(team.year, 12, 31) if team.year else None)
    return min(clock.start_of(day), now) if day else now


@dataclass
class ImportedDiff:
    """What applying an imported record would change: {field: [old, new]} and a stage move."""

    changes: dict
    new_fields: dict
    new_stage: Stage | None
    subcommittee: object
    author_names: list[str] | None

    def __bool__(self) -> bool:
        return bool(self.changes) or self.new_stage is not None


def diff_imported(
    proposal: Proposal,
    *,
    fields: dict,
    stage: Stage | None,
    subcommittee: Subcommittee | None | object = UNCHANGED,
    author_names: list[str] | None = None,
) -> ImportedDiff:
    """Compare an imported record with a proposal; only the values given are compared.
    ``subcommittee=UNCHANGED`` and ``author_names=None`` leave those alone."""
    new_fields = {name: new for name, new in fields.items() if getattr(proposal, name) != new}
    changes = {
        name: [_json_value(getattr(proposal, name)), _json_value(new)]
        for name, new in new_fields.items()
    }
    if subcommittee is not UNCHANGED and proposal.subcommittee is not subcommittee:
        changes["subcommittee"] = [_subcommittee_name(proposal.subcommittee),
                                   _subcommittee_name(subcommittee)]
    if author_names is not None and proposal.author_names != author_names:
        changes["authors"] = [proposal.author_names, author_names]
    new_stage = stage if stage is not None and stage != proposal.stage else None
    return ImportedDiff(changes, new_fields, new_stage, subcommittee, author_names)


def apply_imported(proposal: Proposal, diff: ImportedDiff, *, actor: User | None = None,
                   note: str | None = None, accounts: dict[str, int] | None = None) -> None:
    """Write a diff from ``diff_imported``, with its revision and stage-change rows."""
    if diff.changes:
        proposal.updated_at = clock.now()  # the row is written (and versioned) even if only authors change
        for name, value in diff.new_fields.items():
            setattr(proposal, name, value)
        if "subcommittee" in diff.changes:
            proposal.subcommittee = diff.subcommittee
        if "authors" in diff.changes:
            accounts = accounts or {}
            proposal.authors = [ProposalAuthor(user_id=accounts.get(n), name=None if n in accounts else n, position=i)
                                for i, n in enumerate(diff.author_names)]
        # the flush writes the row once, so the version it makes is the next one
        db.session.add(ProposalRevision(proposal=proposal, actor=actor, source=IMPORT_ACTION,
                                        changes=diff.changes, note=note,
                                        proposal_version=proposal.version + 1))
    if diff.new_stage is not None:
        db.session.add(StageChange(proposal=proposal, from_stage=proposal.stage,
                                   to_stage=diff.new_stage, action=IMPORT_ACTION, actor=actor,
                                   note=note))
        proposal.enter(diff.new_stage)


def _subcommittee_name(subcommittee) -> str | None:
    return subcommittee.name_ko if subcommittee is not None else None
