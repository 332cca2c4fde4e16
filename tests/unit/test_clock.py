"""The app's one clock: Korea's date whatever the server's zone, and tests that move it."""
import os
import re
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker import clock

UTC = timezone.utc


@pytest.fixture
def server_in_new_york(monkeypatch):
    """The server's own zone set far from Korea: the app's dates must not follow it."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("utc", "korean_day"), [
    (datetime(2026, 3, 9, 14, 59, tzinfo=UTC), date(2026, 3, 9)),    # 23:59 KST
    (datetime(2026, 3, 9, 15, 1, tzinfo=UTC), date(2026, 3, 10)),    # 00:01 KST
    (datetime(2026, 12, 31, 15, 0, tzinfo=UTC), date(2027, 1, 1)),   # New Year in Korea first
])
def test_today_switches_at_korean_midnight(server_in_new_york, utc, korean_day):
    with clock.travel(utc, tick=False):
        assert clock.today() == korean_day
        assert clock.now() == utc


def test_a_korean_day_starts_at_three_in_the_afternoon_utc_the_day_before():
    assert clock.start_of(date(2026, 3, 10)) == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    assert clock.local_date(datetime(2026, 3, 9, 15, 0, tzinfo=UTC)) == date(2026, 3, 10)
    assert clock.local_date(datetime(2026, 3, 9, 15, 0)) == date(2026, 3, 10)  # naive means UTC


def test_days_since_counts_korean_calendar_days():
    with clock.travel(datetime(2026, 3, 10, 0, 30, tzinfo=ZoneInfo("Asia/Seoul")), tick=False):
        assert clock.days_since(datetime(2026, 3, 9, 14, 59, tzinfo=UTC)) == 1  # 23:59 yesterday
        assert clock.days_since(datetime(2026, 3, 9, 15, 1, tzinfo=UTC)) == 0   # 00:01 today
        assert clock.days_since(None) == 0


def test_a_ticking_clock_runs_on_and_a_stopped_one_stands_still():
    start = datetime(2031, 5, 20, 9, 0, tzinfo=UTC)
    with clock.travel(start, tick=False):
        time.sleep(0.01)
        assert clock.now() == start
    with clock.travel(start):
        time.sleep(0.01)
        assert start < clock.now() < start + timedelta(seconds=5)


def test_travel_wants_a_moment_with_its_zone():
    with pytest.raises(ValueError):
        with clock.travel(datetime(2026, 3, 9, 12, 0)):
            pass


def test_the_suite_never_reads_the_real_clock():
    """Every test runs with the clock pinned (tests/conftest.py), at TRACKER_TEST_NOW when given."""
    pinned = os.environ.get("TRACKER_TEST_NOW") or "2026-11-20T10:00:00+09:00"
    assert abs(clock.now() - datetime.fromisoformat(pinned)) < timedelta(hours=1)


def test_only_the_clock_reads_the_real_time():
    real_clock = re.compile(r"date\.today\(\)|datetime\.(now|utcnow|today)\(|time\.time\(\)")
    package = Path(clock.__file__).parent
    offenders = [f"{path.relative_to(package)}:{number}" for path in sorted(package.rglob("*.py"))
                 if path.name != "clock.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if real_clock.search(line)]
    assert offenders == []


def test_the_programme_zone_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "TIMEZONE", "UTC")
    with app.app_context(), clock.travel(datetime(2026, 3, 9, 15, 1, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 3, 9)
