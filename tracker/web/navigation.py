"""Where a redirect may go, and where a person starts."""
from urllib.parse import urlsplit

from flask import url_for

from tracker import permissions


def is_local_path(target: str) -> bool:
    """Only paths of this site: not //host, not /\\host (browsers read \\ as /), no scheme."""
    return (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc and not any(ord(c) < 32 for c in target))


def home(user) -> str:
    """Where a signed-in person starts: the teams, or an external judge's judging pages."""
    return url_for("teams.index") if permissions.uses_the_archive(user) else url_for("judging.index")
