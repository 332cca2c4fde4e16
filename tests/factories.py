"""Files and records the tests build themselves."""
import csv
import io
import json

from openpyxl import Workbook


def csv_bytes(rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def json_bytes(rows: list[list], wrap: bool = False) -> bytes:
    header, *data = rows
    items = [dict(zip(header, row)) for row in data]
    return json.dumps({"ideas": items} if wrap else items, ensure_ascii=False).encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def add_member(team, name: str, subcommittee=None, department: str | None = None):
    """A member of a team (accounts and their web forms come later; the model holds them now)."""
    from tracker.extensions import db
    from tracker.models import Membership, Role, User, UserRole

    user = User(name=name, department=department, roles=[UserRole(role=Role.MEMBER)])
    db.session.add(Membership(team=team, user=user, subcommittee=subcommittee, department=department))
    db.session.flush()
    return user


def add_mentor(subcommittee, name: str, kind, organisation: str | None = None, field: str | None = None):
    from tracker.extensions import db
    from tracker.models import MentorAssignment, Role, User, UserRole

    user = User(name=name, roles=[UserRole(role=Role.MENTOR)])
    db.session.add(MentorAssignment(user=user, subcommittee=subcommittee, kind=kind,
                                    organisation=organisation, field=field))
    db.session.flush()
    return user
