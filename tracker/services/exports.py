"""Spreadsheet files of a filtered proposal list (the list's and the board's downloads); the dated
file name is made by the view for each download."""
from tracker.importers.writers import rows_of, write_csv, write_xlsx
from tracker.services import archive

WRITERS = {"xlsx": write_xlsx, "csv": write_csv}


def proposals_file(filters: archive.ProposalFilter, viewer, fmt: str) -> bytes:
    return WRITERS[fmt](rows_of(archive.matching_query(filters, viewer)))
