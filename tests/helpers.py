"""What tests read from pages, and how many SQL statements a page costs."""
import re

import sqlalchemy as sa

from tracker.extensions import db


def text_of(response) -> str:
    """A page's text as a person reads it: tags gone, whitespace folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def statements_during(app, action) -> list[str]:
    """The SQL statements the database runs while ``action()`` does (a request, most often)."""
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return statements


def queries_for(app, client, url: str) -> int:
    """The SQL statements one GET of ``url`` runs (the page must answer 200)."""
    def get():
        assert client.get(url).status_code == 200, url
    return len(statements_during(app, get))


def table_rows(engine) -> dict[str, list[tuple]]:
    """Every row of every table of the models, in primary-key order."""
    with engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}
