"""Importing past ideas: read -> map and validate every row -> plan -> write in one transaction.

Nothing here touches a Flask request, so the CLI and (later) a web upload share it. The caller
commits; on a dry run, or when rows are bad and ``skip_invalid`` is off, nothing is written.
"""
import contextlib
import gc
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from tracker.importers.mapping import map_row, resolve_headers
from tracker.importers.readers import read_table
from tracker.importers.records import FileProblem, IdeaRecord, ImportReport, RowError, RowOutcome
from tracker.models import Proposal, Stage, Team
from tracker.services import teams as team_service
from tracker.services.proposals import imports as proposal_service
from tracker.services.proposals import text_index
from tracker.vocabulary import normalise_label

__all__ = ["import_ideas", "import_file", "ImportReport", "RowError", "TEAM_COLUMN"]
TEAM_COLUMN = "기수/team"  # the column of the errors about a row's team


@dataclass
class _TeamPlan:
    """A team the rows name: an existing one, or one this import will create."""

    label: str
    team: Team | None
    new_program: str | None = None
    new_cohort: int | None = None
    matcher: team_service.SubcommitteeMatcher | None = None
    records: list[IdeaRecord] = field(default_factory=list)


def import_file(path: str | Path, **options) -> ImportReport:
    path = Path(path)
    return import_ideas(path.read_bytes(), path.name, **options)


def import_ideas(
    data: bytes,
    filename: str,
    *,
    team: str | None = None,
    create_teams: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    keep_existing: bool = False,
) -> ImportReport:
    """Import ideas from the bytes of a CSV, JSON or XLSX file.

    ``team`` names the team for rows that do not say; ``create_teams`` allows rows to name a team
    that does not exist yet; ``keep_existing`` leaves records already in the archive as they are.
    """
    with _collector_paused():
        return _import(data, filename, team=team, create_teams=create_teams, dry_run=dry_run,
                       skip_invalid=skip_invalid, keep_existing=keep_existing)


@contextlib.contextmanager
def _collector_paused():
    """The cycle collector off while a file is read and written: tens of thousands of short-lived
    rows, freed as they go, would otherwise set it scanning the whole process again and again
    (a third of the import's time in a busy process)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _import(data: bytes, filename: str, *, team, create_teams, dry_run, skip_invalid, keep_existing) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(data, filename)
        headers, report.unknown_columns = resolve_headers(table.headers)
        records = _map_rows(table.rows, headers, report)
    except FileProblem as problem:
        report.file_error = str(problem)
        return report

    plans = _plan_teams(records, team, create_teams, report)
    _reject_duplicate_keys(plans, report)
    report.errors.sort(key=lambda error: error.row)  # every fault of a row together, rows in order
    report.rejected = len({e.row for e in report.errors})
    if report.rejected and not skip_invalid:
        return report

    note = _("Imported from %(file)s", file=filename)
    names = {n for plan in plans for r in plan.records for n in (r.author_names or [])}
    accounts = proposal_service.accounts_named(names)
    report.authors_linked = sorted(accounts)
    report.authors_as_text = sorted(names - set(accounts))
    for plan in plans:
        _apply_team(plan, report, write=not dry_run, keep_existing=keep_existing, note=note, accounts=accounts)
    report.written = not dry_run
    report.rows.sort(key=lambda outcome: outcome.row)
    return report


def _map_rows(rows, headers, report: ImportReport) -> list[IdeaRecord]:
    records = []
    for row_no, raw in rows:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            continue  # a blank line between records is not an error
        record, errors = map_row(row_no, raw, headers)
        report.errors.extend(errors)
        if record is not None:
            records.append(record)
    return records


def _plan_teams(records, default_team, create_teams, report) -> list[_TeamPlan]:
    """Group the rows by the team they resolve to (one plan per team, however it is written)."""
    by_label: dict[str, _TeamPlan | str] = {}
    by_identity: dict[tuple, _TeamPlan] = {}
    for record in records:
        label = record.team_label or default_team
        if not label:
            report.errors.append(RowError(record.row, TEAM_COLUMN, _(
                "No team: fill the team (기수) column, or choose the cohort of the rows without one.")))
            continue
        key = normalise_label(label)
        if key not in by_label:
            by_label[key] = _resolve_team(label, create_teams, by_identity)
        plan = by_label[key]
        if isinstance(plan, str):
            report.errors.append(RowError(record.row, TEAM_COLUMN, plan))
            continue
        if record.subcommittee_label and plan.matcher.match(record.subcommittee_label) is None:
            report.errors.append(RowError(record.row, "분과/subcommittee", _(
                "Unknown subcommittee “%(value)s”; this team has: %(names)s.",
                value=record.subcommittee_label, names=", ".join(plan.matcher.names()))))
            continue
        if not record.faulty:
            plan.records.append(record)
    return list(by_identity.values())


def _resolve_team(label: str, create_teams: bool, by_identity: dict) -> "_TeamPlan | str":
    """The plan for the team a label names, or the message why there is none."""
    matches = team_service.teams_matching(label)
    if len(matches) > 1:
        return _("“%(label)s” matches several teams (%(names)s); write the team's full name.",
                 label=label, names=", ".join(t.name for t in matches))
    if matches:
        team = matches[0]
        identity = ("existing", team.id)
        if identity not in by_identity:
            by_identity[identity] = _TeamPlan(
                team.name, team, matcher=team_service.SubcommitteeMatcher(team.subcommittees))
        return by_identity[identity]
    program, cohort = team_service.parse_team_label(label)
    if cohort is None:
        return _("Cannot create team “%(label)s”: its name needs a cohort number, e.g. 소소기획단 3기.",
                 label=label) if create_teams else _unknown_team_message(label)
    if not create_teams:
        return _unknown_team_message(label)
    program = program or team_service.DEFAULT_PROGRAM_NAME
    identity = ("new", normalise_label(program), cohort)
    if identity not in by_identity:
        by_identity[identity] = _TeamPlan(label, None, new_program=program, new_cohort=cohort,
                                          matcher=team_service.SubcommitteeMatcher.for_new_team())
    return by_identity[identity]


def _unknown_team_message(label: str) -> str:
    return _("Team “%(label)s” does not exist: create the team first.", label=label)


def _reject_duplicate_keys(plans: list[_TeamPlan], report: ImportReport) -> None:
    for plan in plans:
        first_row: dict[str, int] = {}
        kept = []
        for record in plan.records:
            if record.source_key in first_row:
                report.errors.append(RowError(record.row, "제목/title", _(
                    "The same idea appears twice in this file (first in row %(row)d).",
                    row=first_row[record.source_key])))
                continue
            first_row[record.source_key] = record.row
            kept.append(record)
        plan.records = kept


def _apply_team(plan: _TeamPlan, report: ImportReport, *, write: bool, keep_existing: bool,
                note: str, accounts: dict[str, int]) -> None:
    if not plan.records:
        return
    team = plan.team
    if team is None:
        if write:
            team = team_service.create_team(plan.new_program, plan.new_cohort)
        report.teams_created.append(team_service.team_name(plan.new_program, plan.new_cohort))
    existing = proposal_service.find_by_source_keys(team, [r.source_key for r in plan.records]) if team else {}
    subcommittees = {s.name_ko: s for s in team.subcommittees} if team else {}

    new, new_records, updated = [], [], []
    team_name = team.name if team else plan.label
    for record in plan.records:
        matched = plan.matcher.match(record.subcommittee_label) if record.subcommittee_label else None
        subcommittee = subcommittees.get(matched.name_ko) if matched else None
        proposal = existing.get(record.source_key)
        title = record.fields.get("title") or ""
        if proposal is None:
            new.append(proposal_service.NewImported(
                record.source_key, record.fields, record.stage or Stage.IDEA, subcommittee,
                record.author_names or []))
            new_records.append(record)
        elif keep_existing:
            report.unchanged += 1
            report.rows.append(RowOutcome(record.row, title, team_name, "unchanged", proposal.id))
        elif _update(proposal, record, subcommittee, write=write, note=note, accounts=accounts):
            report.updated += 1
            updated.append(proposal.id)
            report.rows.append(RowOutcome(record.row, title, team_name, "updated", proposal.id))
        else:
            report.unchanged += 1
            report.rows.append(RowOutcome(record.row, title, team_name, "unchanged", proposal.id))
    report.created += len(new)
    ids = [None] * len(new)
    if write:
        ids = proposal_service.create_imported(team, new, note=note, accounts=accounts)
        text_index.index_proposals(updated)  # the changed texts, once for the whole file
    report.rows.extend(RowOutcome(r.row, r.fields.get("title") or "", team_name, "created", pid)
                       for r, pid in zip(new_records, ids))


def _update(proposal: Proposal, record: IdeaRecord, subcommittee, *, write: bool, note: str,
            accounts: dict[str, int]) -> bool:
    diff = proposal_service.diff_imported(
        proposal, fields=record.fields, stage=record.stage,
        subcommittee=subcommittee if record.has_subcommittee else proposal_service.UNCHANGED,
        author_names=record.author_names)
    if diff and write:
        proposal_service.apply_imported(proposal, diff, note=note, accounts=accounts)
    return bool(diff)
