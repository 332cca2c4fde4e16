"""The app's one clock: every "now" and "today" of the app comes from here.

"Today" is the programme's day (``TIMEZONE``, Asia/Seoul by default), whatever zone the server
runs in; moments are stored and compared in UTC. Tests move the clock with ``travel``
(tests/conftest.py pins it for every test); the web machinery underneath (session cookies,
sign-in limits) keeps the real time.
"""
import calendar
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Seoul"

# (the moment travelled to, the monotonic time of the trip, whether the clock runs on from there)
_travelled: tuple[datetime, float, bool] | None = None


def now() -> datetime:
    """The present moment, timezone-aware, in UTC."""
    if _travelled is None:
        return datetime.now(timezone.utc)
    moment, since, ticking = _travelled
    return moment + timedelta(seconds=time.monotonic() - since) if ticking else moment


def zone() -> ZoneInfo:
    return _zone(current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_ZONE)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def today() -> date:
    """The programme's date now (Korea's date by default)."""
    return local_date(now())


def local(moment: datetime) -> datetime:
    """A stored moment in the programme's time zone (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone())


def local_date(moment: datetime) -> date:
    return local(moment).date()


def start_of(day: date) -> datetime:
    """The first moment of a programme day, in UTC (a day in Korea starts at 15:00 UTC before)."""
    return datetime.combine(day, datetime.min.time(), tzinfo=zone()).astimezone(timezone.utc)


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day: 29 February a
    year on is 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_since(moment: datetime | None) -> int:
    """Whole programme days from a moment's date to today (0 on the same day)."""
    if moment is None:
        return 0
    return max(0, (today() - local_date(moment)).days)


@contextmanager
def travel(to: datetime, *, tick: bool = True):
    """Move the app's clock to ``to`` (an aware datetime) for the block; with ``tick`` it runs on
    from there as real time passes, otherwise it stands still."""
    global _travelled
    if to.tzinfo is None:
        raise ValueError("travel needs an aware datetime (e.g. tzinfo=ZoneInfo('Asia/Seoul'))")
    before = _travelled
    _travelled = (to.astimezone(timezone.utc), time.monotonic(), tick)
    try:
        yield
    finally:
        _travelled = before
