"""What the importer passes between its steps, and the report it gives back."""
from dataclasses import dataclass, field


class FileProblem(Exception):
    """The file as a whole cannot be read (format, encoding, no header, no title column)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    message: str


@dataclass
class IdeaRecord:
    """One row, parsed: only the columns the file has are in ``fields``."""

    row: int
    team_label: str | None
    source_key: str
    fields: dict
    stage: object = None  # Stage, or None when the file has no stage column / an empty cell
    subcommittee_label: str | None = None
    has_subcommittee: bool = False
    author_names: list[str] | None = None
    faulty: bool = False  # a row with errors of its own: checked for its team, never imported


@dataclass
class Report:
    """What an import did (or, on a dry run, would do), row by row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    file_error: str | None = None
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.file_error is None and self.rejected == 0


@dataclass(frozen=True)
class RowOutcome:
    """What became of one good row: created, updated or unchanged (with the proposal, once written)."""

    row: int
    title: str
    team: str
    outcome: str  # "created", "updated" or "unchanged"
    proposal_id: int | None = None


@dataclass
class ImportReport(Report):
    teams_created: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    authors_linked: list[str] = field(default_factory=list)  # 제안자 names exactly one account bears
    authors_as_text: list[str] = field(default_factory=list)  # the others, kept as written
