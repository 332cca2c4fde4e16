"""Error pages: a clear page in the person's language, never a stack trace."""
from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db, login_manager
from tracker.services.errors import DATABASE_UNAVAILABLE, NotAllowed, NotFound

RETRY_AFTER_SECONDS = 10


def register_error_handlers(app: Flask) -> None:
    def page(status: int):
        def handler(_error):
            return _error_page(f"errors/{status}.html", status)
        return handler

    for status in (400, 403, 404, 405, 429):
        app.register_error_handler(status, page(status))
    app.register_error_handler(NotFound, page(404))
    app.register_error_handler(NotAllowed, page(403))

    @app.errorhandler(413)
    def too_large(_error):
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        return _error_page("errors/413.html", 413, limit_mb=limit and limit // (1024 * 1024))

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        if wants_json():  # a page's script (the score sheet): its sign-in, and the token with it, ended
            return signed_out_answer(400)
        return _error_page("errors/csrf.html", 400)

    app.register_error_handler(500, server_error)
    app.register_error_handler(StaleDataError, changed_meanwhile)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)


def signed_out_answer(status: int):
    """What a page's script is told when the person's sign-in has ended (it offers to sign in again)."""
    return jsonify(saved=False, signed_out=True, message=_("Your sign-in has ended.")), status


def wants_json() -> bool:
    """A request from a page's script, which reads JSON (Accept: application/json), not a page."""
    return request.accept_mimetypes.best == "application/json"


def _error_page(template: str, status: int, **context):
    """An error page; if the database goes away while its menu is read (the unread count, open
    judging), the try-again page instead of a bare 500 from inside the error handler."""
    try:
        return render_template(template, **context), status
    except DATABASE_UNAVAILABLE as error:
        return database_unavailable(error)


def _end_transaction() -> None:
    """Roll back what the request began (the error pages read the database for the menu); when
    the connection itself is gone, drop the session instead."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()


def server_error(_error):
    _end_transaction()  # after a failed write the session refuses every query until rolled back
    return _error_page("errors/500.html", 500)


def changed_meanwhile(_error):
    """Two people changed the same proposal at once (e.g. both moved it): the later change found a
    newer version than it read, and nothing of it was written."""
    _end_transaction()
    return _error_page("errors/409.html", 409)


def database_unavailable(_error):
    _end_transaction()
    # Rendered as for a signed-out visitor: the menu would otherwise ask the database for the
    # account and its unread count, and fail again.
    login_manager._update_request_context_with_user()
    return render_template("errors/503.html"), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
