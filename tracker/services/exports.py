"""Spreadsheet files of a filtered proposal list (the list's and the board's downloads).

Writing an XLSX costs about 0.2 ms a proposal, so a file is kept, by its filters, its viewer (whose
memberships and roles decide what they see) and its format, until anything is written to the
database (the ``pages`` stamp of services/stamps.py). The dated file name is made by the view for
each download.
"""
from tracker.importers.writers import rows_of, write_csv, write_xlsx
from tracker.services import archive, stamps

WRITERS = {"xlsx": write_xlsx, "csv": write_csv}
KEPT_FILES = 8


def proposals_file(filters: archive.ProposalFilter, viewer, fmt: str) -> bytes:
    def build() -> bytes:
        stamps.read_again_what_came_before()  # the viewer
        return WRITERS[fmt](rows_of(archive.matching_query(filters, viewer)))

    return stamps.cached(("exports.file", fmt, filters, viewer.id), build, (stamps.PAGES,), keep=KEPT_FILES)
