"""Spreadsheet files of a filtered proposal list (the list's and the board's downloads).

Writing an XLSX costs about 0.2 ms a proposal, so a file is kept, by the exact query that chose its
proposals (the viewer's visibility included) and its format, until a proposal, its authors, a team,
a subcommittee or an account's name is written (services/stamps.py). The dated file name is made
by the view for each download.
"""
import sqlalchemy as sa

from tracker.extensions import db
from tracker.importers.writers import rows_of, write_csv, write_xlsx
from tracker.services import archive, stamps

WRITERS = {"xlsx": write_xlsx, "csv": write_csv}
KEPT_FILES = 8


def proposals_file(filters: archive.ProposalFilter, viewer, fmt: str) -> bytes:
    query = archive.matching_query(filters, viewer)

    def build() -> bytes:
        return WRITERS[fmt](rows_of(list(db.session.scalars(query))))

    try:
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    except sa.exc.CompileError:  # a value without a literal form: write it afresh
        return build()
    return stamps.cached(("exports.file", fmt, sql), build, keep=KEPT_FILES)
