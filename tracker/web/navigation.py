"""Where a redirect may go, where a person starts, and what the menu counts."""
from urllib.parse import urlsplit

from flask import Flask, url_for
from flask_login import current_user

from tracker import permissions
from tracker.services import menu


def is_local_path(target: str) -> bool:
    """Only paths of this site: not //host, not /\\host (browsers read \\ as /), no scheme."""
    return (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc and not any(ord(c) < 32 for c in target))


def home(user) -> str:
    """Where a signed-in person starts: the teams, or an external judge's judging pages."""
    return url_for("teams.index") if permissions.uses_the_archive(user) else url_for("judging.index")


def register_menu(app: Flask) -> None:
    """The menu's counts for every page, read here in one query so that the template runs none."""
    app.context_processor(lambda: {"menu": menu.counts(current_user) if current_user.is_authenticated
                                   else menu.NOTHING})
