"""Whole pages kept in the server process until anything in the database changes.

A page marked ``@kept_page`` is rendered once for a person, address (path and query), language and
five-minute span, and served again from memory while the ``pages`` stamp stays put: that stamp
moves as every transaction of the app's session that wrote anything commits
(tracker/services/stamps.py), so a kept page never shows less than the database holds. The five-minute span bounds what moves with the clock alone (days in a
stage, stalled cards, countdowns). What belongs to one browser session rather than to the person is
never kept: the form token is rendered as a placeholder and filled in for each answer, and a page
with messages waiting to be shown (after a save) is drawn afresh.
"""
import secrets
import time
from functools import wraps

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from tracker.extensions import db
from tracker.services import stamps

SPAN_S = 300
PAGES_PER_VIEW = 32  # kept per view and process; the oldest go first
_TOKEN_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


def kept_page(view):
    @wraps(view)
    def serve(*args, **kwargs):
        if not current_app.config["KEEP_PAGES"] or not current_user.is_authenticated or "_flashes" in session:
            return view(*args, **kwargs)  # messages after a save are drawn into the page: drawn afresh
        key = (f"page:{request.endpoint}", request.url, current_user.get_id(), str(get_locale()),
               int(time.time() // SPAN_S))
        stamp, page = stamps.lookup(key, (stamps.PAGES,))
        if page is None:
            db.session.expire_all()  # the person (roles and all) was read before the stamp: read again
            page, response = _render(view, args, kwargs)
            if page is None:
                return response
            stamps.remember(key, stamp, page, PAGES_PER_VIEW)
        return current_app.response_class(page.replace(_TOKEN_PLACEHOLDER, generate_csrf()), mimetype="text/html")
    return serve


def _render(view, args, kwargs):
    """``(html with the token placeholder, None)``, or ``(None, response)`` for anything but a page."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    had_token = field in g
    real = g.pop(field, None)
    setattr(g, field, _TOKEN_PLACEHOLDER)  # what generate_csrf() hands every form drawn now
    try:
        response = current_app.make_response(view(*args, **kwargs))
    finally:
        g.pop(field, None)
        if had_token:
            setattr(g, field, real)
    if response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed:
        return None, response
    return response.get_data(as_text=True), None
