"""Opt-in SQL statement counting per request, for the benchmark only (bench/run.py).

Registered by create_app only when QUERY_COUNT_HEADER is true (env TRACKER_QUERY_COUNT_HEADER=1):
every statement executed on the engine during a request is counted and the total is sent back in
an ``X-Query-Count`` response header. Off by default; it changes nothing else.
"""
import sqlalchemy as sa
from flask import Flask, g, has_request_context

HEADER = "X-Query-Count"


def register_query_count(app: Flask, engine: sa.Engine) -> None:
    def count(*_args, **_kwargs) -> None:
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    sa.event.listen(engine, "before_cursor_execute", count)

    @app.after_request
    def add_header(response):
        response.headers[HEADER] = str(g.get("query_count", 0))
        return response
