"""Whole pages kept in the server process until anything in the database changes.

A page marked ``@kept_page`` is rendered once for a person, address (path and query), language and
five-minute span, and served again from memory while the ``pages`` stamp stays put: that stamp
moves as every transaction of the app's session that wrote anything commits
(tracker/services/stamps.py), so a kept page never shows less than the database holds. The
five-minute span bounds what moves with the clock alone (days in a stage, stalled cards,
countdowns). What belongs to one browser session rather than to the person is
never kept: the form token is rendered as a placeholder and filled in for each answer, and a page
with messages waiting to be shown (after a save) is drawn afresh. A download (a spreadsheet) is
kept the same way, bytes and file name; no other header of an answer is ever kept (cookies least).
"""
import secrets
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from tracker import clock
from tracker.services import stamps

SPAN_S = 300
PAGES_PER_VIEW = 32  # kept per view and process; the oldest go first
_TOKEN_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
# a download's dated file name may be kept: spans are whole multiples of 300 s since 1970, so none crosses midnight
_KEPT_HEADERS = ("Content-Disposition",)


@dataclass(frozen=True)
class _Kept:
    body: str | bytes  # a page's text (with the token placeholder) or a download's bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]

    def answer(self):
        body = self.body.replace(_TOKEN_PLACEHOLDER, generate_csrf()) if isinstance(self.body, str) else self.body
        return current_app.response_class(body, content_type=self.content_type, headers=list(self.headers))


def kept_page(view):
    @wraps(view)
    def serve(*args, **kwargs):
        if not current_app.config["KEEP_PAGES"] or not current_user.is_authenticated or "_flashes" in session:
            return view(*args, **kwargs)  # messages after a save are drawn into the page: drawn afresh
        key = (f"page:{request.endpoint}", request.url, current_user.get_id(), str(get_locale()),
               int(clock.now().timestamp() // SPAN_S))
        stamp, page = stamps.lookup(key, (stamps.PAGES,))
        if page is None:
            stamps.read_again_what_came_before()  # the person
            page, response = _render(view, args, kwargs)
            if page is None:
                return response
            stamps.remember(key, stamp, page, PAGES_PER_VIEW)
        return page.answer()
    return serve


def _render(view, args, kwargs):
    """``(what to keep, None)`` for a page (its text with the token placeholder) or a download, else
    ``(None, response)``."""
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
    if response.status_code != 200 or response.is_streamed:
        return None, response
    headers = tuple((name, response.headers[name]) for name in _KEPT_HEADERS if name in response.headers)
    if response.mimetype == "text/html":
        return _Kept(response.get_data(as_text=True), response.content_type, headers), None
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        return _Kept(response.get_data(), response.content_type, headers), None
    return None, response
