"""A team's activities calendar: month and list views, activities added and edited, the private feed."""
import html
import re
from datetime import date, datetime, timezone

import icalendar
import sqlalchemy as sa

from tests.functional.cohort import signed_in
from tracker.extensions import db
from tracker.models import Activity, ActivityKind, Proposal, Stage, Team
from tracker.services import mentoring
from tracker.services import teams as team_service


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def in_english(app, user):
    client = signed_in(app, user)
    client.get("/lang/en")
    return client


def lecture_data(cohort, **changes):
    data = {"kind": "expert_lecture", "title": "빈집 재생 특강", "on": "2025-05-14", "starts": "14:00",
            "ends": "16:00", "place": "경주시청 대회의실", "notes": "황리단길 사례 공유",
            "subcommittees": [cohort.youth.id],
            "attendees": [cohort.people["author"].id, cohort.people["mentor"].id]}
    return {**data, **changes}


def other_team_proposal(team):
    proposal = Proposal(team=team, title="3기 제안", stage=Stage.IDEA)
    db.session.add(proposal)
    db.session.commit()
    return proposal


def feed_url(client, team_id) -> str:
    page = client.get(f"/teams/{team_id}/calendar").get_data(as_text=True)
    return re.search(r'id="feed-url" type="text" readonly value="http://localhost(/calendar/[^"]+\.ics)"', page)[1]


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}


def test_the_month_shows_team_dates_and_activities_on_their_days(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="청년 빈집 창업")
    mentoring.record_session(cohort.team, actor=cohort.people["manager"], on=date(2025, 10, 2),
                             subcommittee_id=cohort.youth.id, mentor_id=cohort.people["mentor"].id,
                             place="청년센터", notes=None, proposal_ids=[proposal.id])
    db.session.add(Activity(team=cohort.team, kind=ActivityKind.PRESENTATION, title="2기 정책발표회",
                            starts_at=datetime(2025, 10, 15, 5, 0, tzinfo=timezone.utc)))  # 14:00 in Seoul
    db.session.commit()
    member = in_english(app, cohort.people["team_member"])
    page = member.get(f"/teams/{cohort.team.id}/calendar?month=2025-10")
    assert page.status_code == 200
    markup = page.get_data(as_text=True)
    october_15 = markup[markup.index('datetime="2025-10-15"'):]
    october_15 = october_15[:october_15.index("</td>")]
    assert "14:00" in october_15 and "2기 정책발표회" in october_15
    assert "Presentation event" not in text_of(page), "the recorded presentation replaces the team date"
    october_2 = markup[markup.index('datetime="2025-10-02"'):]
    assert "청년‧인구 멘토링" in october_2[:october_2.index("</td>")]
    assert "October 2025" in text_of(page) and "September 2025" in text_of(page)
    february = text_of(member.get(f"/teams/{cohort.team.id}/calendar?month=2025-02"))
    assert "Kick-off" in february and "No activities this month." not in february
    assert "No activities this month." in text_of(member.get(f"/teams/{cohort.team.id}/calendar?month=2025-03"))


def test_the_list_shows_the_whole_year_by_month(app, cohort, make_account):
    db.session.add(Activity(team=cohort.team, kind=ActivityKind.BENCHMARKING, title="순천 벤치마킹",
                            starts_at=datetime(2025, 6, 20, 0, 30, tzinfo=timezone.utc), place="순천시",
                            subcommittees=[cohort.culture]))
    db.session.add(Activity(team=cohort.team, kind=ActivityKind.BENCHMARKING, title="내년 활동",
                            starts_at=datetime(2026, 3, 1, 1, 0, tzinfo=timezone.utc)))
    db.session.commit()
    page = text_of(in_english(app, cohort.people["mentor"]).get(f"/teams/{cohort.team.id}/calendar/list?year=2025"))
    assert "내년 활동" not in page
    assert page.index("February 2025") < page.index("Kick-off") < page.index("June 2025") < page.index(
        "순천 벤치마킹") < page.index("October 2025") < page.index("Presentation event")
    assert "Place: 순천시" in page and "Culture and tourism" in page and "09:30" in page
    outsider = signed_in(app, cohort.people["outsider"])
    assert outsider.get(f"/teams/{cohort.team.id}/calendar/list").status_code == 404  # not theirs to see


def test_a_manager_adds_an_activity_with_attendees_and_linked_proposals(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="청년 빈집 창업")
    manager = in_english(app, cohort.people["manager"])
    response = manager.post(f"/teams/{cohort.team.id}/calendar/activities/new",
                            data=lecture_data(cohort, proposals=[proposal.id]), follow_redirects=True)
    page = text_of(response)
    assert "The activity is on the calendar." in page
    assert "빈집 재생 특강" in page and "Expert lecture" in page and "경주시청 대회의실" in page
    assert "14:00 – 16:00" in page and "황리단길 사례 공유" in page
    assert "김민지" in page and "최교수" in page and "청년 빈집 창업" in page
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == "빈집 재생 특강"))
    assert activity.starts_at == datetime(2025, 5, 14, 5, 0, tzinfo=timezone.utc)
    assert {u.name for u in activity.attendees} == {"김민지", "최교수"}
    assert [p.title for p in activity.proposals] == ["청년 빈집 창업"]
    assert activity.recorded_by.name == "운영담당"
    may = manager.get(f"/teams/{cohort.team.id}/calendar?month=2025-05").get_data(as_text=True)
    assert f'/teams/{cohort.team.id}/calendar/activities/{activity.id}">빈집 재생 특강</a>' in may


def test_the_form_explains_what_is_wrong(app, cohort, make_account):
    stranger = make_account(name="다른사람")
    other_team = team_service.create_team("소소기획단", 3)
    db.session.commit()
    manager = in_english(app, cohort.people["manager"])
    url = f"/teams/{cohort.team.id}/calendar/activities/new"
    page = text_of(manager.post(url, data=lecture_data(cohort, title="  ", ends="13:00")))
    assert "Give the activity a title." in page and "The end must be after the start." in page
    page = text_of(manager.post(url, data=lecture_data(cohort, on="", starts="")))
    assert "This field is required." in page
    page = text_of(manager.post(url, data=lecture_data(cohort, attendees=[stranger.id],
                                                       subcommittees=[other_team.subcommittees[0].id])))
    assert "Choose attendees among the team's members and mentors." in page
    assert "Choose subcommittees of this team." in page
    hidden = other_team_proposal(other_team)
    page = text_of(manager.post(url, data=lecture_data(cohort, proposals=[hidden.id])))
    assert "Choose proposals of this team." in page
    page = text_of(manager.post(url, data=lecture_data(cohort, ends_on="2025-05-15", ends="")))
    assert "Give the time it ends." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0


def test_a_manager_edits_an_activity(app, cohort):
    manager = in_english(app, cohort.people["manager"])
    manager.post(f"/teams/{cohort.team.id}/calendar/activities/new", data=lecture_data(cohort))
    activity = db.session.scalar(sa.select(Activity))
    edit_url = f"/teams/{cohort.team.id}/calendar/activities/{activity.id}/edit"
    form = manager.get(edit_url).get_data(as_text=True)
    assert 'value="빈집 재생 특강"' in form and 'value="14:00"' in form and 'value="2025-05-14"' in form
    page = text_of(manager.post(edit_url, data=lecture_data(
        cohort, kind="benchmarking", title="순천 벤치마킹", on="2025-05-20", starts="09:00", ends_on="2025-05-21",
        ends="18:00", attendees=[cohort.people["sub_member"].id], subcommittees=[cohort.culture.id]),
        follow_redirects=True))
    assert "The activity is saved." in page and "Benchmarking visit" in page and "Culture and tourism" in page
    db.session.expire_all()
    activity = db.session.get(Activity, activity.id)
    assert activity.title == "순천 벤치마킹" and [u.name for u in activity.attendees] == ["박서준"]
    assert activity.ends_at == datetime(2025, 5, 21, 9, 0, tzinfo=timezone.utc)


def test_members_and_mentors_see_the_calendar_but_do_not_change_it(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    manager.post(f"/teams/{cohort.team.id}/calendar/activities/new", data=lecture_data(cohort))
    activity = db.session.scalar(sa.select(Activity))
    for person in ("author", "mentor"):
        client = in_english(app, cohort.people[person])
        assert client.post(f"/teams/{cohort.team.id}/calendar/activities/new",
                           data=lecture_data(cohort, title="몰래")).status_code == 403
        assert client.get(f"/teams/{cohort.team.id}/calendar/activities/{activity.id}/edit").status_code == 403
        detail = text_of(client.get(f"/teams/{cohort.team.id}/calendar/activities/{activity.id}"))
        assert "빈집 재생 특강" in detail and "Edit the activity" not in detail
        month = text_of(client.get(f"/teams/{cohort.team.id}/calendar?month=2025-05"))
        assert "Add an activity" not in month and "Make a new address" not in month and "Feed address" in month
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 1
    team_page = text_of(in_english(app, cohort.people["author"]).get(f"/teams/{cohort.team.id}"))
    assert "Activities calendar" in team_page


def test_the_feed_is_a_calendar_with_the_teams_events(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    manager.post(f"/teams/{cohort.team.id}/calendar/activities/new", data=lecture_data(cohort))
    activity = db.session.scalar(sa.select(Activity))
    url = feed_url(signed_in(app, cohort.people["author"]), cohort.team.id)
    response = app.test_client().get(url)  # no session: a calendar app
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response.data)
    assert set(events) == {"빈집 재생 특강", "소소기획단 2기 발대식", "소소기획단 2기 발표회"}
    lecture = events["빈집 재생 특강"]
    assert str(lecture["UID"]) == f"activity-{activity.id}@policy-idea-tracker"
    assert str(lecture["LOCATION"]) == "경주시청 대회의실"
    assert "황리단길 사례 공유" in str(lecture["DESCRIPTION"]) and "청년‧인구" in str(lecture["DESCRIPTION"])
    assert lecture.decoded("DTSTART") == datetime(2025, 5, 14, 5, 0, tzinfo=timezone.utc)
    assert lecture.decoded("DTEND") == datetime(2025, 5, 14, 7, 0, tzinfo=timezone.utc)
    kickoff = events["소소기획단 2기 발대식"]
    assert kickoff.decoded("DTSTART") == date(2025, 2, 28) and kickoff.decoded("DTEND") == date(2025, 3, 1)
    again = events_of(app.test_client().get(url).data)
    assert str(again["빈집 재생 특강"]["UID"]) == str(lecture["UID"]), "UIDs stay the same between fetches"


def test_a_wrong_token_finds_nothing_and_a_reset_retires_the_old_address(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    old = feed_url(manager, cohort.team.id)
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 200
    assert anonymous.get(old[:-5] + "x.ics").status_code == 404
    assert anonymous.get("/calendar/.ics").status_code == 404
    assert anonymous.get(old.replace(".ics", "")).status_code in (302, 404)  # never the feed
    assert manager.post(f"/teams/{cohort.team.id}/calendar/feed/reset").status_code == 302
    new = feed_url(manager, cohort.team.id)
    assert new != old
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    member = signed_in(app, cohort.people["author"])
    assert member.post(f"/teams/{cohort.team.id}/calendar/feed/reset").status_code == 403
    assert feed_url(member, cohort.team.id) == new


def test_another_teams_token_never_shows_this_teams_events(app, cohort):
    other = team_service.create_team("소소기획단", 3)
    db.session.commit()
    manager = signed_in(app, cohort.people["manager"])
    manager.post(f"/teams/{cohort.team.id}/calendar/activities/new", data=lecture_data(cohort))
    manager.post(f"/teams/{other.id}/calendar/activities/new",
                 data=lecture_data(cohort, title="3기 회의", kind="subcommittee_meeting", subcommittees=[],
                                   attendees=[]))
    mine, theirs = feed_url(manager, cohort.team.id), feed_url(manager, other.id)
    assert mine != theirs
    assert set(events_of(app.test_client().get(theirs).data)) == {"3기 회의"}
    assert "3기 회의" not in events_of(app.test_client().get(mine).data)
    tokens = db.session.scalars(sa.select(Team.calendar_token).where(Team.calendar_token.is_not(None))).all()
    assert len(tokens) == 2 and all(len(t) >= 40 for t in tokens)


def test_impossible_dates_and_ids_are_form_errors_not_crashes(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    for day in ("2025-13-01", "0000-01-01", "0001-01-01"):
        assert manager.get(f"/teams/{cohort.team.id}/calendar/activities/new?on={day}").status_code == 200, day
    for changes in ({"on": "0001-01-01"}, {"proposals": "99999999999999999999"}, {"attendees": "-1"}):
        response = manager.post(f"/teams/{cohort.team.id}/calendar/activities/new", data=lecture_data(cohort, **changes))
        assert response.status_code == 200, changes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Activity)) == 0


def test_a_benchmarking_trip_over_several_days_shows_on_each_day_and_with_its_end(app, cohort):
    # 2025-06-30 09:00 to 2025-07-02 18:00 in Seoul: it crosses into July
    db.session.add(Activity(team=cohort.team, kind=ActivityKind.BENCHMARKING, title="순천 벤치마킹",
                            starts_at=datetime(2025, 6, 30, 0, 0, tzinfo=timezone.utc),
                            ends_at=datetime(2025, 7, 2, 9, 0, tzinfo=timezone.utc)))
    db.session.commit()
    member = signed_in(app, cohort.people["team_member"])
    july = member.get(f"/teams/{cohort.team.id}/calendar?month=2025-07").get_data(as_text=True)
    for day, shown in (("2025-07-01", True), ("2025-07-02", True), ("2025-07-03", False)):
        cell = july[july.index(f'datetime="{day}"'):]
        assert ("순천 벤치마킹" in cell[:cell.index("</td>")]) is shown, day
    first_of_july = july[july.index('datetime="2025-07-01"'):]
    assert "이어짐" in first_of_july[:first_of_july.index("</td>")]
    june = member.get(f"/teams/{cohort.team.id}/calendar?month=2025-06").get_data(as_text=True)
    june_30 = june[june.index('datetime="2025-06-30"'):]
    assert "09:00" in june_30[:june_30.index("</td>")] and "순천 벤치마킹" in june_30[:june_30.index("</td>")]
    listing = text_of(member.get(f"/teams/{cohort.team.id}/calendar/list?year=2025"))
    assert "2025. 6. 30. (월) – 2025. 7. 2. (수)" in listing
