"""Pages give Korea's date at Korea's midnight, whatever the server's clock says."""
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.conftest import PASSWORD
from tests.functional.cohort import signed_in
from tracker import clock
from tracker.extensions import db
from tracker.services import presentation

UTC = timezone.utc


@pytest.mark.parametrize(("utc", "marked"), [
    (datetime(2025, 5, 9, 14, 59, tzinfo=UTC), "9"),   # 23:59 on 5월 9일 in Korea
    (datetime(2025, 5, 9, 15, 1, tzinfo=UTC), "10"),   # 00:01 on 5월 10일 in Korea
])
def test_the_calendar_marks_korea_s_today(app, cohort, utc, marked):
    with clock.travel(utc, tick=False):
        page = signed_in(app, cohort.people["manager"]).get(
            f"/teams/{cohort.team.id}/calendar?month=2025-05").get_data(as_text=True)
    today_cell = page[page.index('aria-current="date"'):][:200]
    assert f">{marked}<" in today_cell.replace(" ", "")


def test_an_external_judge_works_to_the_end_of_the_day_after_the_event_in_korea(app, cohort):
    manager = cohort.people["manager"]
    event = presentation.save_event(cohort.team, held_on=date(2025, 10, 15), starts_at=None, place=None,
                                    minutes_per_slot=10, actor=manager)
    judge = presentation.add_external_judge(event, name="외부 심사위원", email="judge@example.org",
                                            actor=manager, address=None)[0].user
    judge.password_hash = manager.password_hash
    judge.must_change_password = False
    db.session.commit()

    def signs_in_at(moment: datetime) -> bool:
        with clock.travel(moment, tick=False):
            answer = app.test_client().post("/auth/login", data={"identifier": "judge@example.org",
                                                                 "password": PASSWORD})
        return answer.status_code == 302

    last_minute = datetime(2025, 10, 16, 23, 59, tzinfo=clock.zone())
    assert signs_in_at(last_minute)                              # 14:59 UTC on 10월 16일
    assert not signs_in_at(last_minute + timedelta(minutes=2))   # 00:01 on 10월 17일 in Korea
