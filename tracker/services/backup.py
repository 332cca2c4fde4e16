"""Backup and restore of the whole database: every table of the models' metadata, in dependency
order, as one versioned JSON file (gzip-compressed when the name ends in .gz).

The tables come from ``db.metadata``, so a table added later is backed up without a change here.
"""
import base64
import enum
import gzip
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask_babel import gettext as _

from tracker import clock
from tracker.extensions import db
from tracker.models import PendingImport, ProposalGram, ProposalText
from tracker.services.errors import DomainError
from tracker.services.proposals import text_index

FORMAT = "policy-idea-tracker-backup"
FORMAT_VERSION = 1
# Left out unless a backup is made --with-passwords: such a file would be as sensitive as the database.
SECRET_COLUMNS = {("user_account", "password_hash")}
INSERT_BATCH = 1000


class BackupProblem(DomainError):
    """The file cannot be restored here; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    tables: int
    rows: int
    with_passwords: bool
    alembic_revision: str | None


def write_backup(path: str | Path, *, with_passwords: bool = False) -> BackupSummary:
    """Write the backup file from one snapshot of the database (the caller ends the transaction)."""
    _begin_snapshot()
    tables, rows = {}, 0
    for table in _content_tables():
        columns = [c for c in table.columns
                   if with_passwords or (table.name, c.name) not in SECRET_COLUMNS]
        query = sa.select(*columns).order_by(*table.primary_key.columns)
        data = [[_encode(value) for value in row] for row in db.session.execute(query)]
        tables[table.name] = {"columns": [c.name for c in columns], "rows": data}
        rows += len(data)
    revision = _current_revision()
    document = {
        "format": FORMAT, "version": FORMAT_VERSION, "alembic_revision": revision,
        "created_at": clock.now().isoformat(), "with_passwords": with_passwords,
        "tables": tables,
    }
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    # Written beside the target and renamed: a full disk leaves no half file under the backup's name.
    partial = Path(f"{path}.partial")
    try:
        partial.write_bytes(gzip.compress(payload) if str(path).endswith(".gz") else payload)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(len(tables), rows, with_passwords, revision)


def _begin_snapshot() -> None:
    """Read every table as of one moment, so rows saved while the backup runs cannot leave it
    with a child row whose parent it does not hold."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif dialect == "sqlite":
        # pysqlite opens no transaction for a SELECT: each would read the file as it is then.
        db.session.connection().exec_driver_sql("BEGIN")


def restore_backup(path: str | Path, *, replace: bool = False) -> BackupSummary:
    """Load a backup into this database (flushed, not committed). Refuses a database that already
    holds rows unless ``replace`` is given, which first deletes every row."""
    document = _read(Path(path))
    tables = {table: _records(table, content) for table, content in _tables_of(document).items()}
    if _current_revision() != document.get("alembic_revision"):
        raise BackupProblem(_(
            "The backup was made at database revision %(backup)s but this database is at "
            "%(here)s. Migrate an empty database to the backup's revision first.",
            backup=document.get("alembic_revision") or "-", here=_current_revision() or "-"))
    if not replace and _has_rows():
        raise BackupProblem(_(
            "The database is not empty: nothing was restored. Restore into an empty database, "
            "or give --replace to delete everything in it first."))
    if replace:
        for table in reversed(_content_tables()):
            db.session.execute(table.delete())
    rows = 0
    for table in _content_tables():
        if table in tables:
            rows += _insert(table, *tables[table])
    _reset_sequences()
    text_index.rebuild()
    db.session.flush()
    return BackupSummary(len(tables), rows, bool(document.get("with_passwords")),
                         document.get("alembic_revision"))


def _read(path: Path) -> dict:
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw)
    except OSError as error:
        raise BackupProblem(_("Cannot read %(path)s: %(error)s", path=str(path),
                              error=error.strerror or str(error))) from None
    except (ValueError, EOFError):
        document = None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupProblem(_("%(path)s is not a backup of this application.", path=str(path)))
    if document.get("version") != FORMAT_VERSION:
        raise BackupProblem(_("The backup has format version %(found)s; this version of the "
                              "application reads version %(known)s.",
                              found=document.get("version"), known=FORMAT_VERSION))
    return document


def _tables_of(document: dict) -> dict[sa.Table, dict]:
    tables = document.get("tables")
    known = db.metadata.tables
    if not isinstance(tables, dict):
        raise BackupProblem(_("The backup file is damaged: it holds no tables."))
    for name, content in tables.items():
        if not isinstance(content, dict):
            raise BackupProblem(_("The backup file is damaged in table %(name)s: nothing was restored.",
                                  name=name))
        if name not in known:
            raise BackupProblem(_("The backup holds a table this database does not have: %(name)s.",
                                  name=name))
        unknown = set(content.get("columns", [])) - set(known[name].columns.keys())
        if unknown:
            raise BackupProblem(_("The backup holds columns this database does not have: %(names)s.",
                                  names=", ".join(f"{name}.{c}" for c in sorted(unknown))))
    return {known[name]: content for name, content in tables.items()}


def _insert(table: sa.Table, columns: list[sa.Column], records: list[dict]) -> int:
    # A row may point at a later row of its own table (a proposal building on a newer one):
    # such links are written after all of the table's rows are in.
    self_links = [c for c in columns if any(fk.column.table is table for fk in c.foreign_keys)]
    for start in range(0, len(records), INSERT_BATCH):
        batch = records[start:start + INSERT_BATCH]
        db.session.execute(table.insert(), [{**r, **{c.name: None for c in self_links}} for r in batch])
    linked = [r for r in records if any(r[c.name] is not None for c in self_links)]
    if linked:
        key = list(table.primary_key.columns)
        # Columns with an onupdate (updated_at) are set too, or the update would restamp them.
        written = self_links + [c for c in columns if c.onupdate is not None and c not in self_links]
        update = (table.update()
                  .where(*(c == sa.bindparam(f"key_{c.name}") for c in key))
                  .values({c.name: sa.bindparam(f"set_{c.name}") for c in written}))
        db.session.execute(update, [{**{f"key_{c.name}": r[c.name] for c in key},
                                     **{f"set_{c.name}": r[c.name] for c in written}} for r in linked])
    return len(records)


def _records(table: sa.Table, content: dict) -> tuple[list[sa.Column], list[dict]]:
    try:
        columns = [table.columns[name] for name in content["columns"]]
        records = []
        for row in content["rows"]:
            if len(row) != len(columns):
                raise ValueError(row)
            records.append({c.name: _decode(c, value) for c, value in zip(columns, row)})
    except (AttributeError, KeyError, TypeError, ValueError):
        raise BackupProblem(_("The backup file is damaged in table %(name)s: nothing was restored.",
                              name=table.name)) from None
    return columns, records


def _content_tables() -> list[sa.Table]:
    """Every table but the text index, which is made again from the proposals, and files waiting
    for a manager's decision to import them (a restore starts without them)."""
    derived = {ProposalGram.__table__, ProposalText.__table__, PendingImport.__table__}
    return [table for table in db.metadata.sorted_tables if table not in derived]


def _has_rows() -> bool:
    return any(db.session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
               for table in _content_tables())


def _current_revision() -> str | None:
    return MigrationContext.configure(db.session.connection()).get_current_revision()


def _reset_sequences() -> None:
    """Make PostgreSQL's id sequences continue after the restored ids (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in _content_tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].autoincrement is False or not isinstance(key[0].type, sa.Integer):
            continue
        column = key[0]
        sequence = db.session.execute(sa.select(sa.func.pg_get_serial_sequence(
            table.name, column.name))).scalar()
        if sequence:
            highest = db.session.execute(sa.select(sa.func.max(column))).scalar()
            db.session.execute(sa.select(sa.func.setval(sequence, highest or 1, highest is not None)))


def _encode(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _decode(column: sa.Column, value):
    if value is None:
        return None
    kind = _python_type(column.type)
    if kind is None or isinstance(column.type, sa.JSON):
        return value
    if issubclass(kind, enum.Enum):
        return kind(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is time:
        return time.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if kind is bytes:
        return base64.b64decode(value)
    return value


def _python_type(column_type):
    if isinstance(column_type, sa.TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return column_type.python_type
    except NotImplementedError:
        return None
