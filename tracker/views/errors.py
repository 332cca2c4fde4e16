"""Error pages: a clear page in the person's language, never a stack trace."""
from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db, login_manager
from tracker.services.errors import DATABASE_UNAVAILABLE, NotAllowed, NotFound

RETRY_AFTER_SECONDS = 10


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

    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)


def database_unavailable(_error):
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()
    # Rendered as for a signed-out visitor: the menu would otherwise ask the database for the
    # account and its unread count, and fail again.
    login_manager._update_request_context_with_user()
    return render_template("errors/503.html"), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
