"""Error pages: a clear page in the person's language, never a stack trace."""
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db
from tracker.services.errors import NotAllowed, NotFound


def register_error_handlers(app: Flask) -> None:
    def page(status: int):
        def handler(_error):
            return render_template(f"errors/{status}.html"), status
        return handler

    for status in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(status, page(status))
    app.register_error_handler(NotFound, page(404))
    app.register_error_handler(NotAllowed, page(403))

    @app.errorhandler(500)
    def server_error(_error):
        _discard_transaction()  # the page itself reads the database: not through a failed transaction
        return render_template("errors/500.html"), 500

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(_error):
        """Two people changed the same proposal at once (e.g. both moved it): the second change
        found a newer version than it read, and nothing of it was written."""
        _discard_transaction()
        return render_template("errors/409.html"), 409

    @app.errorhandler(OperationalError)
    def database_unavailable(_error):
        _discard_transaction()
        # Rendered without the context processors: they (the menu's counts, Flask-Login's
        # current_user) would ask the unavailable database again and turn this page into a 500.
        return app.jinja_env.get_template("errors/503.html").render(request=request), 503


def _discard_transaction() -> None:
    """Roll back what the request began; when the connection died under it (the database went
    away), the ROLLBACK itself fails: then drop the connection without one."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session().invalidate()  # (the scoped session does not pass this one on)
