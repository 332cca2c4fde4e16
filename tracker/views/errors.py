"""Error pages: a clear page in the person's language, never a stack trace."""
from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from tracker.extensions import db
from tracker.services.errors import NotAllowed, NotFound


def register_error_handlers(app: Flask) -> None:
    def page(status: int):
        def handler(_error):
            return render_template(f"errors/{status}.html"), status
        return handler

    for status in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(status, page(status))
    app.register_error_handler(NotFound, page(404))
    app.register_error_handler(NotAllowed, page(403))

    @app.errorhandler(413)
    def too_large(_error):
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        return render_template("errors/413.html", limit_mb=limit and limit // (1024 * 1024)), 413

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(_error):
        db.session.rollback()
        return render_template("errors/503.html"), 503
