"""Importing members and mentors from a CSV, JSON or XLSX file, with the idea importer's
conventions: Korean or English headers in any order, every row checked before anything is
written, row-numbered errors, all or nothing unless ``skip_invalid``, and re-imports that change
only what changed. New accounts get temporary passwords, returned once in the report."""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from tracker import permissions
from tracker.formatting import label
from tracker.importers.cells import cell_text, header_index, match_headers
from tracker.importers.readers import read_table
from tracker.importers.records import FileProblem, Report, RowError
from tracker.models import MentorKind, Role, Subcommittee, Team, User
from tracker.services import accounts, teams
from tracker.vocabulary import normalise_label, parse_label

PEOPLE_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("이름", "name", "성명"),
    "email": ("이메일", "email", "e-mail", "메일"),
    "staff_id": ("직원번호", "staff_id", "사번", "staff id"),
    "department": ("소속부서", "department", "부서", "소속"),
    "roles": ("역할", "roles", "role", "구분"),
    "team": ("기수", "team", "cohort"),
    "subcommittee": ("분과", "subcommittee"),
    "mentor_kind": ("멘토구분", "mentor_kind", "mentor kind", "멘토 유형"),
    "organisation": ("소속기관", "organisation", "organization", "기관"),
    "field": ("전문분야", "field", "분야"),
}
_INDEX = header_index(PEOPLE_HEADERS)
_SPLIT = re.compile(r"[,;/\n]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"name": 100, "email": 254, "staff_id": 50, "department": 100, "organisation": 120, "field": 120}


@dataclass
class PersonRecord:
    row: int
    name: str
    email: str | None
    staff_id: str | None
    department: str | None
    roles: set[Role]
    team: Team | None
    subcommittee: Subcommittee | None
    mentor_kind: MentorKind
    organisation: str | None
    field: str | None

    @property
    def identity(self) -> str:
        return (self.email or "").lower() or f"id:{self.staff_id}"


@dataclass
class NewAccountNote:
    name: str
    login: str
    password: str


@dataclass
class PeopleReport(Report):
    new_accounts: list[NewAccountNote] = field(default_factory=list)


def import_people(data: bytes, filename: str, *, actor: User | None, address: str | None,
                  dry_run: bool = False, skip_invalid: bool = False) -> PeopleReport:
    report = PeopleReport(dry_run=dry_run)
    try:
        table = read_table(data, filename)
        headers, report.unknown_columns = match_headers(table.headers, _INDEX)
        if "name" not in headers.values():
            raise FileProblem(_("There is no name column (이름 or name)."))
        records = _records(table.rows, headers, report, actor)
    except FileProblem as problem:
        report.file_error = str(problem)
        return report
    report.rejected = len({e.row for e in report.errors})
    if report.rejected and not skip_invalid:
        return report
    for record in records:
        _apply(record, report, actor=actor, address=address, write=not dry_run)
    report.written = not dry_run
    return report


def _records(rows, headers, report: PeopleReport, actor: User | None) -> list[PersonRecord]:
    records, first_row = [], {}
    team_cache: dict[str, list[Team]] = {}
    for row_no, raw in rows:
        values = {f: cell_text(raw.get(h)) for h, f in headers.items()}
        if not any(values.values()):
            continue
        errors: list[RowError] = []
        record = _record(row_no, values, headers, team_cache, errors)
        if record is not None and record.identity in first_row:
            errors.append(RowError(row_no, _column(headers, "email"), _(
                "The same person appears twice in this file (first in row %(row)d).",
                row=first_row[record.identity])))
        if record is not None and actor is not None and not permissions.can_grant_roles(actor, record.roles):
            errors.append(RowError(row_no, _column(headers, "roles"),
                                   _("Only an admin can give the admin role.")))
        report.errors.extend(errors)
        if not errors and record is not None:
            first_row[record.identity] = row_no
            records.append(record)
    return records


def _record(row_no, values, headers, team_cache, errors) -> PersonRecord | None:
    def fail(name, message):
        errors.append(RowError(row_no, _column(headers, name), message))

    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            fail(name, _("Too long: at most %(limit)d characters (this has %(count)d).",
                         limit=limit, count=len(values[name])))
    if not values.get("name"):
        fail("name", _("Enter the person's name."))
    email, staff_id = values.get("email") or None, values.get("staff_id") or None
    if not email and not staff_id:
        fail("email", _("Enter an e-mail address or a staff ID to sign in with."))
    if email and not _EMAIL.match(email):
        fail("email", _("“%(value)s” is not an e-mail address.", value=email))
    roles = set()
    for text in filter(None, (t.strip() for t in _SPLIT.split(values.get("roles", "")))):
        role = parse_label(Role, text)
        if role is None:
            fail("roles", _("Unknown role “%(value)s” (%(known)s).", value=text,
                            known=", ".join(label(r) for r in Role)))
        roles.add(role)
    if not roles and "roles" in headers.values() and not values.get("roles"):
        fail("roles", _("Choose at least one role."))
    roles = {r for r in roles if r is not None} or {Role.MEMBER}
    kind = MentorKind.SENIOR_STAFF
    if values.get("mentor_kind"):
        kind = parse_label(MentorKind, values["mentor_kind"])
        if kind is None:
            fail("mentor_kind", _("Unknown mentor kind “%(value)s” (선배 멘토 or 외부 전문가).",
                                  value=values["mentor_kind"]))
    team = subcommittee = None
    if values.get("team"):
        key = normalise_label(values["team"])
        matches = team_cache.setdefault(key, teams.teams_matching(values["team"]))
        if len(matches) != 1:
            fail("team", _("Team “%(label)s” does not exist.", label=values["team"]))
        else:
            team = matches[0]
    if team is not None and values.get("subcommittee"):
        found = teams.SubcommitteeMatcher(team.subcommittees).match(values["subcommittee"])
        if found is None:
            fail("subcommittee", _("Unknown subcommittee “%(value)s”; this team has: %(names)s.",
                                   value=values["subcommittee"],
                                   names=", ".join(s.name_ko for s in team.subcommittees)))
        else:
            subcommittee = next(s for s in team.subcommittees if s.name_ko == found.name_ko)
    if Role.MENTOR in roles and team is not None and subcommittee is None:
        fail("subcommittee", _("A mentor is matched to a subcommittee: fill the subcommittee column."))
    if errors:
        return None
    return PersonRecord(row_no, values["name"], email, staff_id, values.get("department") or None,
                        roles, team, subcommittee, kind, values.get("organisation") or None,
                        values.get("field") or None)


def _column(headers: dict[str, str], name: str) -> str:
    return next((h for h, f in headers.items() if f == name), PEOPLE_HEADERS[name][0])


def _apply(record: PersonRecord, report: PeopleReport, *, actor, address, write: bool) -> None:
    user = _existing(record)
    if user is None:
        report.created += 1
        if write:
            user, password = accounts.create_account(accounts.NewAccount(
                name=record.name, email=record.email, staff_id=record.staff_id,
                department=record.department, roles=tuple(sorted(record.roles))),
                actor=actor, address=address)
            report.new_accounts.append(NewAccountNote(user.name, user.email or user.staff_id, password))
            if record.team is not None:
                _place(user, record, write=True)
        return
    changed = bool(record.roles - user.role_set)
    if changed and write:
        accounts.set_roles(user, user.role_set | record.roles, actor=actor, address=address)
    if record.team is not None:
        changed = _place(user, record, write=write) or changed
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _existing(record: PersonRecord) -> User | None:
    for identifier in (record.email, record.staff_id):
        user = accounts.find_by_identifier(identifier) if identifier else None
        if user is not None:
            return user
    return None


def _place(user: User, record: PersonRecord, *, write: bool) -> bool:
    """Put the person on the team / match them to the subcommittee; whether anything changed."""
    changed = False
    if Role.MEMBER in record.roles:
        current = next((m for m in user.memberships if m.team_id == record.team.id), None)
        wanted_sub = record.subcommittee.id if record.subcommittee else None
        if current is None or current.subcommittee_id != wanted_sub or current.department != record.department:
            changed = True
            if write:
                teams.add_member(record.team, user, subcommittee=record.subcommittee,
                                 department=record.department)
    if Role.MENTOR in record.roles and record.subcommittee is not None:
        current = next((a for a in user.mentor_assignments
                        if a.subcommittee_id == record.subcommittee.id), None)
        if current is None or (current.kind, current.organisation, current.field) != (
                record.mentor_kind, record.organisation, record.field):
            changed = True
            if write:
                teams.assign_mentor(user, record.subcommittee, kind=record.mentor_kind,
                                    organisation=record.organisation, field=record.field)
    return changed
