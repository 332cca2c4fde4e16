"""Spreadsheet files of the archive: a filtered proposal list (the list's and the board's
downloads; the dated file name is made by the view) and the command line's export."""
from pathlib import Path

from tracker.exporters.writers import WRITERS, rows_of
from tracker.models import Team
from tracker.services.proposals import queries


def proposals_file(filters: queries.ProposalFilter, viewer, fmt: str) -> bytes:
    return WRITERS[fmt](rows_of(queries.matching_query(filters, viewer)))


def export_ideas(path: str | Path, fmt: str, team: Team | None = None) -> int:
    """Write the archive (or one team's proposals) to ``path`` as ``fmt`` (csv, json, xlsx);
    returns the number of records."""
    rows = rows_of(queries.export_query(team))
    Path(path).write_bytes(WRITERS[fmt](rows))
    return len(rows)
