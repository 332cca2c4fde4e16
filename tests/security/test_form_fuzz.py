"""Whatever someone types into a form (control characters, emoji, right-to-left text, 100 KB
strings, lone surrogates' replacements, SQL and HTML), the answer is a page or a field message:
never a 500, and a rejected form writes nothing."""
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.functional.cohort import make_cohort, signed_in
from tracker.extensions import db
from tracker.models import Activity, Comment, PresentationEvent, Proposal, Stage, User

FUZZ = settings(max_examples=20, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

awkward = st.one_of(
    st.text(max_size=60),  # any code point, control characters included
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=30),
    st.sampled_from(["👩‍🌾🏘️ 빈집", "مرحبا بالعالم", "‮evil‬", "' OR 1=1 --", "<script>alert(1)</script>",
                     "=cmd|' /C calc'!A0", "\x00\x01\x02", " ", ""]),
    st.integers(min_value=90_000, max_value=110_000).map(lambda n: "가" * n),  # ~100 KB and more
)


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@FUZZ
@given(title=awkward, summary=awkward)
def test_logging_an_idea(app, cohort, title, summary):
    client = signed_in(app, cohort.people["author"])
    before = _count(Proposal)
    response = client.post("/proposals/new", data={"team": cohort.team.id, "title": title, "summary": summary})
    assert response.status_code in (200, 302, 413)
    if response.status_code != 302:
        assert _count(Proposal) == before


@FUZZ
@given(problem=awkward, budget=awkward, department=awkward)
def test_editing_a_proposal(app, cohort, problem, budget, department):
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "퍼즈 대상")) or cohort.proposal(
        Stage.DEVELOPING, title="퍼즈 대상")
    client = signed_in(app, cohort.people["author"])
    db.session.refresh(proposal)
    response = client.post(f"/proposals/{proposal.id}/edit", data={
        "title": "퍼즈 대상", "version": proposal.version, "problem": problem, "budget_krw": budget,
        "department": department, "coauthor_ids": [cohort.people["author"].id]})
    assert response.status_code in (200, 302, 409, 413)


@FUZZ
@given(body=awkward, note=awkward)
def test_comments_and_moves(app, cohort, body, note):
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "댓글 대상")) or cohort.proposal(
        Stage.IDEA, title="댓글 대상")
    client = signed_in(app, cohort.people["manager"])
    before = _count(Comment)
    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": body})
    assert response.status_code in (200, 302, 400, 413)
    if response.status_code != 302 or not body.strip():
        assert _count(Comment) == before
    moved = client.post(f"/proposals/{proposal.id}/move/withdraw", data={"note": note})
    assert moved.status_code in (302, 400, 403, 413)


@FUZZ
@given(title=awkward, place=awkward, day=awkward, notes=awkward)
def test_calendar_and_event_forms(app, cohort, title, place, day, notes):
    client = signed_in(app, cohort.people["manager"])
    before = _count(Activity)
    response = client.post(f"/teams/{cohort.team.id}/calendar/activities/new", data={
        "kind": "expert_lecture", "title": title, "on": day, "starts": "10:00", "place": place, "notes": notes})
    assert response.status_code in (200, 302, 413)
    if response.status_code != 302:
        assert _count(Activity) == before
    events = _count(PresentationEvent)
    event = client.post(f"/teams/{cohort.team.id}/event", data={
        "held_on": day, "place": place, "minutes_per_slot": title})
    assert event.status_code in (200, 302, 413)
    if event.status_code != 302:
        assert _count(PresentationEvent) == events


@FUZZ
@given(name=awkward, email=awkward, identifier=awkward, query=awkward, address=st.integers(1, 250))
def test_accounts_sign_in_and_search(app, cohort, name, email, identifier, query, address):
    manager = signed_in(app, cohort.people["manager"])
    before = _count(User)
    response = manager.post("/accounts/new", data={"name": name, "email": email, "roles": ["member"]})
    assert response.status_code in (200, 302, 413)
    if response.status_code != 302:
        assert _count(User) == before
    assert manager.get("/proposals/", query_string={"q": query[:5000]}).status_code in (200, 414)
    stranger = app.test_client()
    # from addresses of their own, so these failures do not throttle the test's own sign-ins
    attempt = stranger.post("/auth/login", data={"identifier": identifier, "password": name},
                            environ_overrides={"REMOTE_ADDR": f"10.9.{address}.1"})
    assert attempt.status_code in (200, 302, 413, 429)
