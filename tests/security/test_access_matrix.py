"""Every route × every kind of person × the objects that matter: who gets what.

The routes come from the app's URL map, so a new route without a line here fails the test."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.factories import csv_bytes
from tracker import clock
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.models import (
    EventJudge,
    Handoff,
    MentorKind,
    PresentationEvent,
    PresentationSlot,
    Proposal,
    Role,
    Stage,
    Team,
)
from tracker.services import accounts
from tracker.services import teams as team_service
from tracker.services.presentation import DEFAULT_CRITERIA

PEOPLE = ("anonymous", "member", "other_member", "mentor", "manager", "admin", "liaison", "inactive", "judge")
SIGNED_IN = ("member", "other_member", "mentor", "manager", "admin", "liaison", "judge")
LOGIN = "login"  # the sign-in page (a redirect to it)
HIDDEN = 404  # what a person may not see does not exist for them


def _external_judge():
    """An external judge's limited account: no role, works until the day after the event."""
    user, _temporary = accounts.create_account(accounts.NewAccount("외부 심사위원", (), email="judge@example.org",
                                                                   limited=True), actor=None, address=None)
    user.password_hash, user.must_change_password = accounts.hash_password(PASSWORD), False
    user.access_until = clock.today() + timedelta(days=1)
    db.session.commit()
    return user


@pytest.fixture
def world(programme, make_account):
    """Cohort 2 and 3 (active), cohort 1 (archived); a member of each active team, a mentor of
    cohort 2's culture subcommittee, a manager, an admin, a deactivated manager, and a department
    liaison of one cohort 1 project. Cohort 2's presentation event has the culture proposal, judged
    by the mentor."""
    cohort3 = team_service.create_team("소소기획단", 3)
    db.session.commit()
    rows = [["관리번호", "기수", "분과", "제목"],
            ["Y", "소소기획단 2기", "청년‧인구", "청년 제안"],
            ["C", "소소기획단 2기", "문화관광", "관광 제안"],
            ["O", "소소기획단 3기", "문화관광", "3기 제안"]]
    assert import_ideas(csv_bytes(rows), "world.csv").ok
    db.session.commit()
    cohort2 = team_service.find_team("소소기획단 2기")
    people = {
        "member": make_account(Role.MEMBER), "other_member": make_account(Role.MEMBER),
        "mentor": make_account(Role.MENTOR), "manager": make_account(Role.MANAGER),
        "admin": make_account(Role.ADMIN), "inactive": make_account(Role.MANAGER, active=False),
        "liaison": make_account(Role.LIAISON),
        "judge": _external_judge(),
    }
    team_service.add_member(cohort2, people["member"], subcommittee=cohort2.subcommittees[0])
    team_service.add_member(cohort3, people["other_member"], subcommittee=cohort3.subcommittees[1])
    team_service.assign_mentor(people["mentor"], cohort2.subcommittees[1], kind=MentorKind.EXTERNAL_EXPERT)
    db.session.commit()

    def proposal(title):
        return db.session.scalar(sa.select(Proposal.id).where(Proposal.title == title))

    culture = db.session.get(Proposal, proposal("관광 제안"))
    culture.stage = Stage.SHORTLISTED
    event = PresentationEvent(team_id=cohort2.id, held_on=clock.today(), criteria=list(DEFAULT_CRITERIA),
                              slots=[PresentationSlot(proposal=culture)],
                              judges=[EventJudge(user=people["mentor"]), EventJudge(user=people["judge"], external=True)])
    db.session.add(event)
    db.session.add(Handoff(proposal_id=proposal("빈집있는교?"), department="건축과", liaison=people["liaison"],
                           shared_on=clock.today()))
    db.session.commit()

    return {
        "people": people,
        "team2": cohort2.id, "team3": cohort3.id,
        "team1": db.session.scalar(sa.select(Team.id).where(Team.cohort == 1)),
        "p_youth": proposal("청년 제안"), "p_culture": proposal("관광 제안"),
        "p_other": proposal("3기 제안"), "p_archived": proposal("빈집있는교?"),
        "event": event.id, "slot": event.slots[0].id,
    }


def everyone(status):
    """Every signed-in person with a role gets ``status``; an external judge finds no such page."""
    return {p: LOGIN if p in ("anonymous", "inactive") else HIDDEN if p == "judge" else status for p in PEOPLE}


def managers_only(status=200, others=403):
    return {**everyone(others), "manager": status, "admin": status}


def visible_to(status_if_seen, *who):
    """About something only ``who`` (and managers) may see: to the others it does not exist."""
    return {**everyone(HIDDEN), **{p: status_if_seen for p in (*who, "manager", "admin")}}


def seen_by(*seers, allowed=(), status=200):
    """Seen by ``seers``, who are refused unless ``allowed``; managers get ``status``; hidden from the rest."""
    return {**everyone(HIDDEN), **{p: 403 for p in seers}, **{p: status for p in (*allowed, "manager", "admin")}}


COHORT_2 = ("member", "mentor")  # who sees cohort 2 (the member, the culture mentor)


# endpoint -> [(method, url template, {person: expected}), ...]
MATRIX = {
    "main.index": [("GET", "/", {p: 302 for p in PEOPLE})],
    "main.health": [("GET", "/healthz", {p: 200 for p in PEOPLE})],
    "privacy.notice": [("GET", "/privacy", {p: 200 for p in PEOPLE})],
    "privacy.edit_notice": [("GET", "/privacy/edit", {**everyone(403), "admin": 200})],
    "privacy.my_data_json": [("GET", "/auth/account/data.json", {**everyone(200), "judge": 200})],
    "privacy.my_data_page": [("GET", "/auth/account/data", {**everyone(200), "judge": 200})],
    "privacy.retention": [("GET", "/accounts/retention", {**everyone(403), "admin": 200})],
    "main.set_language": [("GET", "/lang/en", {p: 302 for p in PEOPLE})],
    "auth.login": [("GET", "/auth/login", {p: 200 for p in PEOPLE})],
    "auth.logout": [("POST", "/auth/logout", {**everyone(302), "judge": 302})],
    "auth.change_password": [("GET", "/auth/password", {**everyone(200), "judge": 200})],
    "auth.account": [("GET", "/auth/account", {**everyone(200), "judge": 200})],
    "auth.sign_out_everywhere": [("POST", "/auth/sign-out-everywhere", {**everyone(302), "judge": 302})],
    "auth.email_choice": [("POST", "/auth/account/email", {**everyone(302), "judge": HIDDEN})],
    "accounts.index": [("GET", "/accounts/", managers_only())],
    "accounts.new": [("GET", "/accounts/new", managers_only())],
    "accounts.import_file": [("GET", "/accounts/import", managers_only()),
                             ("POST", "/accounts/import", managers_only())],
    "accounts.detail": [("GET", "/accounts/{member_id}", managers_only())],
    "accounts.audit_log": [("GET", "/accounts/audit?event=login_failed&page=999999999999", managers_only())],
    "accounts.set_active": [("POST", "/accounts/{member_id}/active/1", managers_only(302))],
    "accounts.reset_password": [("POST", "/accounts/{member_id}/reset-password", managers_only(200))],
    "accounts.sign_out_everywhere": [("POST", "/accounts/{member_id}/sign-out", managers_only(302))],
    "accounts.place": [("POST", "/accounts/{member_id}/placement", managers_only(302))],
    "idea_imports.upload": [("GET", "/proposals/import", managers_only()),
                            ("POST", "/proposals/import", managers_only())],
    "idea_imports.decide": [("POST", "/proposals/import/no-such-file?choice=all", managers_only(400))],
    "settings.similar_ideas": [("GET", "/settings/similar-ideas", managers_only()),
                               ("POST", "/settings/similar-ideas", managers_only())],
    "teams.index": [("GET", "/teams/", everyone(200))],
    "teams.detail": [
        ("GET", "/teams/{team2}", visible_to(200, "member", "mentor")),
        ("GET", "/teams/{team3}", visible_to(200, "other_member")),
        ("GET", "/teams/{team1}", everyone(200)),
    ],
    "proposals.index": [("GET", "/proposals/", everyone(200))],
    "proposals.similar_hints": [("GET", "/proposals/similar?q=빈집", everyone(200))],
    "proposal_work.new": [("GET", "/proposals/new", {**everyone(200), "mentor": 403, "liaison": 403})],  # no team
    "proposal_work.edit": [
        ("GET", "/proposals/{p_youth}/edit", visible_to(200, "member")),
        ("GET", "/proposals/{p_culture}/edit", seen_by(*COHORT_2)),  # another subcommittee's; mentors never edit
        ("GET", "/proposals/{p_archived}/edit", managers_only()),
    ],
    "proposal_work.move": [
        ("POST", "/proposals/{p_youth}/move/develop", visible_to(302, "member")),
        ("POST", "/proposals/{p_other}/move/withdraw", seen_by("other_member", status=302)),
    ],
    "proposal_work.comment": [
        ("POST", "/proposals/{p_culture}/comments", visible_to(302, "member", "mentor")),
        ("POST", "/proposals/{p_archived}/comments", managers_only(302)),
    ],
    "proposal_work.record_difference": [
        ("POST", "/proposals/{p_archived}/adopted-check", {**everyone(403), "manager": 302, "admin": 302}),
    ],
    "proposal_work.carry_over": [
        ("POST", "/proposals/{p_archived}/carry-over", everyone(403)),  # selected: nothing to carry over
        ("POST", "/proposals/{p_other}/carry-over", seen_by("other_member", status=400)),  # no other team
    ],
    "reviews.index": [("GET", "/reviews/", {**everyone(403), "mentor": 200, "manager": 200, "admin": 200})],
    "reviews.review": [("GET", "/reviews/proposals/{p_culture}", seen_by(*COHORT_2, status=403))],  # not in review
    "mentors.index": [("GET", "/teams/{team2}/mentors", seen_by(*COHORT_2))],
    "mentors.rubric": [("GET", "/teams/{team2}/rubric", seen_by(*COHORT_2))],
    "mentors.unmatch": [("POST", "/teams/{team2}/mentors/999999/remove", seen_by(*COHORT_2, status=404))],
    "mentors.new_session": [("GET", "/teams/{team2}/mentoring/new", seen_by(*COHORT_2, allowed=("mentor",))),
                            ("GET", "/teams/{team3}/mentoring/new", seen_by("other_member"))],
    "calendar.month": [("GET", "/teams/{team2}/calendar", visible_to(200, "member", "mentor")),
                       ("GET", "/teams/{team3}/calendar?month=2025-10", visible_to(200, "other_member")),
                       ("GET", "/teams/{team1}/calendar", everyone(200))],
    "calendar.year_list": [("GET", "/teams/{team2}/calendar/list", visible_to(200, "member", "mentor")),
                           ("GET", "/teams/{team3}/calendar/list?year=2025", visible_to(200, "other_member"))],
    "calendar.detail": [("GET", "/teams/{team2}/calendar/activities/999999", visible_to(404, *COHORT_2))],
    "calendar.new": [("GET", "/teams/{team2}/calendar/activities/new", seen_by(*COHORT_2)),
                     ("POST", "/teams/{team1}/calendar/activities/new", managers_only())],  # empty form: shown again
    "calendar.edit": [("GET", "/teams/{team2}/calendar/activities/999999/edit", seen_by(*COHORT_2, status=404))],
    "calendar.reset_feed": [("POST", "/teams/{team2}/calendar/feed/reset", seen_by(*COHORT_2, status=302))],
    # public for calendar apps, but only the exact token of a team opens it
    "calendar.feed": [("GET", "/calendar/" + "x" * 43 + ".ics", {p: 404 for p in PEOPLE}),
                      ("GET", "/calendar/short.ics", {p: 404 for p in PEOPLE})],
    "board.show": [("GET", "/teams/{team2}/board", visible_to(200, "member", "mentor")),
                   ("GET", "/teams/{team1}/board", everyone(200))],
    "board.report": [("GET", "/teams/{team3}/report", visible_to(200, "other_member"))],
    "board.export": [("GET", "/teams/{team2}/board.xlsx", visible_to(200, "member", "mentor")),
                     ("GET", "/teams/{team3}/board.csv", visible_to(200, "other_member"))],
    "board.move": [("POST", "/teams/{team3}/board/move", visible_to(400, "other_member"))],  # no card given
    "board.overview": [("GET", "/overview", everyone(200))],
    "proposals.export": [("GET", "/proposals/export.csv", everyone(200))],
    "notifications.index": [("GET", "/notifications/", everyone(200))],
    "notifications.mark_read": [("POST", "/notifications/read", everyone(302))],
    "notifications.open_one": [("GET", "/notifications/999999", everyone(404))],
    "presentation.manage": [("GET", "/teams/{team2}/event", seen_by(*COHORT_2))],
    "presentation.add_slot": [("POST", "/events/{event}/slots", seen_by(*COHORT_2, status=400))],  # none given
    "presentation.move_slot": [("POST", "/events/{event}/slots/{slot}/move", seen_by(*COHORT_2, status=400))],
    "presentation.slot_minutes": [("POST", "/events/{event}/slots/{slot}/minutes", seen_by(*COHORT_2, status=302))],
    "presentation.remove_slot": [("POST", "/events/{event}/slots/999999/remove", seen_by(*COHORT_2, status=404))],
    "presentation.set_order": [("POST", "/events/{event}/order", seen_by(*COHORT_2, status=400))],
    "presentation.add_judge": [("POST", "/events/{event}/judges", seen_by(*COHORT_2, status=400))],
    "presentation.add_external_judge": [("POST", "/events/{event}/judges/external", seen_by(*COHORT_2, status=302))],
    "presentation.remove_judge": [("POST", "/events/{event}/judges/999999/remove", seen_by(*COHORT_2, status=404))],
    "presentation.programme": [("GET", "/events/{event}/programme", visible_to(200, "member", "mentor"))],
    "presentation.scoring": [("GET", "/events/{event}/scoring", seen_by(*COHORT_2))],
    "presentation.scoring_status": [("GET", "/events/{event}/scoring.json", seen_by(*COHORT_2))],
    "presentation.close_or_reopen": [("POST", "/events/{event}/scoring/reopen", seen_by(*COHORT_2, status=302))],
    "presentation.declare_conflict": [("POST", "/events/{event}/conflicts", seen_by(*COHORT_2, status=302))],
    "presentation.withdraw_conflict": [("POST", "/events/{event}/conflicts/999999/withdraw",
                                        seen_by(*COHORT_2, status=302))],
    "presentation.ranking": [("GET", "/events/{event}/ranking", seen_by(*COHORT_2))],
    # judges (the mentor, an external judge) only, and only while scoring is open
    "judging.index": [("GET", "/judge", {**everyone(200), "judge": 200})],
    "judging.sheet_list": [("GET", "/events/{event}/judge", {**everyone(404), "mentor": 200, "judge": 200})],
    "judging.sheet": [("GET", "/events/{event}/judge/1", {**everyone(404), "mentor": 200, "judge": 200})],
    "judging.save_field": [("POST", "/events/{event}/judge/score", {**everyone(403), "mentor": 400, "judge": 400})],
    # the liaison of the cohort 1 project, and managers
    "follow_up.hand_off": [("POST", "/proposals/{p_youth}/hand-off", visible_to(403, "member"))],  # not selected
    "follow_up.decide": [("POST", "/proposals/{p_archived}/decision", everyone(403))],  # selected, not handed off
    "follow_up.add_note": [("POST", "/proposals/{p_archived}/follow-up/notes",
                            {**managers_only(302), "liaison": 302})],
    "follow_up.set_response": [("POST", "/proposals/{p_archived}/follow-up/response",
                                {**managers_only(302), "liaison": 302})],
    "follow_up.set_plan": [("POST", "/proposals/{p_archived}/follow-up/plan",
                            {**managers_only(302), "liaison": 302})],
    "follow_up.index": [("GET", "/follow-up", {**managers_only(), "liaison": 200})],
    "follow_up.yearly_report": [("GET", "/follow-up/report/2026", {**managers_only(), "liaison": 200})],
    "follow_up.yearly_report_xlsx": [("GET", "/follow-up/report/2026.xlsx", {**managers_only(), "liaison": 200})],
    "follow_up.results_book": [("GET", "/teams/{team2}/results", visible_to(200, "member", "mentor")),
                               ("GET", "/teams/{team1}/results", everyone(200))],
    "proposals.record": [
        ("GET", "/proposals/{p_youth}/record", visible_to(200, "member")),
        ("GET", "/proposals/{p_archived}/record", everyone(200)),
    ],
    "proposals.detail": [
        ("GET", "/proposals/{p_youth}", visible_to(200, "member")),
        ("GET", "/proposals/{p_culture}", visible_to(200, "member", "mentor")),
        ("GET", "/proposals/{p_other}", visible_to(200, "other_member")),
        ("GET", "/proposals/{p_archived}", everyone(200)),
    ],
}


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(MATRIX), "add the new route to MATRIX with who may use it"


def _client_for(app, person, world):
    client = app.test_client()
    if person in ("inactive", *SIGNED_IN):
        user = world["people"][person]
        response = client.post("/auth/login", data={"identifier": user.staff_id or user.email, "password": PASSWORD})
        # a deactivated account gets the sign-in form again, with the usual message
        assert response.status_code == (200 if person == "inactive" else 302)
    return client


@pytest.mark.parametrize("person", PEOPLE)
def test_route_matrix(app, world, person):
    ids = {key: value for key, value in world.items() if key != "people"}
    ids["member_id"] = world["people"]["other_member"].id
    failures = []
    client = _client_for(app, person, world)
    for endpoint, cases in MATRIX.items():
        for method, template, expected in cases:
            url = template.format(**ids)
            response = client.open(url, method=method)
            want = expected[person]
            got = response.status_code
            if want == LOGIN:
                ok = got == 302 and response.headers["Location"].startswith("/auth/login")
            else:
                ok = got == want
            if not ok:
                failures.append(f"{person} {method} {url}: got {got}, want {want}")
            if endpoint in ("auth.logout", "auth.sign_out_everywhere"):
                client = _client_for(app, person, world)
    assert failures == []


def _listed(client) -> set[str]:
    import re

    html = client.get("/proposals/").get_data(as_text=True)
    return set(re.findall(r'<h2><a href="/proposals/\d+">([^<]+)</a></h2>', html))


ARCHIVE = {"조(組)손(孫)도손 프로젝트", "장수의자", "빈집있는교?", "그린레이싱"}


@pytest.mark.parametrize("person, expected", [
    ("member", {"청년 제안", "관광 제안"} | ARCHIVE),
    ("other_member", {"3기 제안"} | ARCHIVE),
    ("mentor", {"관광 제안"} | ARCHIVE),
    ("manager", {"청년 제안", "관광 제안", "3기 제안"} | ARCHIVE),
])
def test_lists_show_only_what_the_person_may_open(app, world, person, expected):
    client = _client_for(app, person, world)
    assert _listed(client) == expected
    teams_page = client.get("/teams/").get_data(as_text=True)
    assert ("소소기획단 3기" in teams_page) == (person in ("other_member", "manager"))
