"""Where a redirect may go, where a person starts, and what the menu counts."""
from functools import cached_property
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


class Menu:
    """The menu's counts, read in one query when a page's menu first shows them: a fragment, a
    download or a JSON answer that draws no menu asks nothing."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def _counts(self) -> menu.MenuCounts:
        return menu.counts(self._user) if self._user.is_authenticated else menu.NOTHING

    @property
    def unread(self) -> int:
        return self._counts.unread

    @property
    def judging_open(self) -> bool:
        return self._counts.judging_open


def register_menu(app: Flask) -> None:
    app.context_processor(lambda: {"menu": Menu(current_user._get_current_object())})
