"""Two people changing the same proposal at once (two app servers, or two workers): the one who
lost the race gets a clear answer and nothing of theirs is written; an error page never fails."""
import re

import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.functional.cohort import signed_in
from tracker.extensions import db
from tracker.models import Proposal, Role, Stage, StageChange
from tracker.services import workflow


def _someone_else_moves_it_first(monkeypatch, proposal_id: int, actor_id: int) -> None:
    """Just before this request writes, another server commits its own move of the proposal."""
    notify = workflow._notify

    def race(proposal, action, actor):
        with db.engine.begin() as other:
            other.execute(sa.update(Proposal).where(Proposal.id == proposal_id).values(
                stage=Stage.WITHDRAWN, version=Proposal.version + 1))
            other.execute(sa.insert(StageChange).values(
                proposal_id=proposal_id, from_stage=Stage.DEVELOPING, to_stage=Stage.WITHDRAWN,
                action="withdraw", actor_id=actor_id, note="먼저 철회"))
        notify(proposal, action, actor)

    monkeypatch.setattr(workflow, "_notify", race)


def test_a_move_that_lost_the_race_is_a_clear_conflict_and_writes_nothing(app, cohort, monkeypatch):
    proposal = cohort.proposal(Stage.DEVELOPING, summary="요약", problem="문제", proposal_text="제안",
                               expected_effect="효과")
    author = signed_in(app, cohort.people["author"])
    _someone_else_moves_it_first(monkeypatch, proposal.id, cohort.people["manager"].id)

    response = author.post(f"/proposals/{proposal.id}/move/submit", data={"note": "제출합니다"})

    assert response.status_code == 409
    assert "다른 사람이 같은 때에 바꾸어" in response.get_data(as_text=True)
    db.session.expire_all()
    history = db.session.scalars(sa.select(StageChange).where(StageChange.proposal_id == proposal.id)
                                 .order_by(StageChange.id)).all()
    assert [(c.action, c.to_stage) for c in history] == [("test", Stage.DEVELOPING), ("withdraw", Stage.WITHDRAWN)]
    assert db.session.get(Proposal, proposal.id).stage == Stage.WITHDRAWN


def test_a_review_that_lost_the_race_is_a_clear_conflict(app, cohort, monkeypatch):
    proposal = cohort.proposal(Stage.IN_REVIEW)
    mentor = signed_in(app, cohort.people["mentor"])
    form = mentor.get(f"/reviews/proposals/{proposal.id}").get_data(as_text=True)
    scores = {name: "3" for name in set(re.findall(r'name="(score_\d+)"', form))}
    _someone_else_moves_it_first(monkeypatch, proposal.id, cohort.people["manager"].id)

    response = mentor.post(f"/reviews/proposals/{proposal.id}",
                           data={"recommendation": "revise", "comment": "보완해 주세요", **scores})

    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(StageChange.id)).where(
        StageChange.proposal_id == proposal.id, StageChange.action == "request_changes")) == 0


def test_the_error_page_does_not_fail_after_a_failed_write(another_app, make_account):
    """A 500 page after a failed flush still renders (it reads the database for the menu)."""
    user = make_account(Role.MEMBER)
    server = another_app(WTF_CSRF_ENABLED=False)

    @server.get("/write-a-bad-row")
    def bad_row():
        db.session.add(StageChange(proposal_id=None, to_stage=Stage.IDEA, action="none"))
        db.session.flush()

    client = server.test_client()
    assert client.post("/auth/login", data={"identifier": user.staff_id, "password": PASSWORD}).status_code == 302
    response = client.get("/write-a-bad-row")

    assert response.status_code == 500
    assert "오류가 발생했습니다" in response.get_data(as_text=True)



def test_the_same_review_posted_twice_at_once_keeps_the_first(app, cohort, monkeypatch):
    """The same mentor's review sent from two tabs (or two servers) at once: on PostgreSQL the second
    insert meets the first one's row at the flush, not at the commit; it is the 'already reviewed' answer."""
    from tracker.models import Recommendation, Review
    from tracker.services import reviews

    proposal = cohort.proposal(Stage.IN_REVIEW)
    mentor = cohort.people["mentor"]
    client = signed_in(app, mentor)
    form = client.get(f"/reviews/proposals/{proposal.id}").get_data(as_text=True)
    scores = {name: "4" for name in set(re.findall(r'name="(score_\d+)"', form))}
    rubric_id = reviews.current_rubric(cohort.team).id
    saved_elsewhere = []

    def the_other_tab_saves_first(_proposal, _mentor):
        """Not reviewed yet, as both checks find; then the other tab's review is committed."""
        if not saved_elsewhere:
            saved_elsewhere.append(True)
            with db.engine.begin() as other:
                other.execute(sa.insert(Review).values(
                    proposal_id=proposal.id, mentor_id=mentor.id, rubric_id=rubric_id, round=1,
                    recommendation=Recommendation.APPROVE, submitted_at=sa.func.now()))
        return False

    monkeypatch.setattr(reviews, "already_reviewed", the_other_tab_saves_first)

    response = client.post(f"/reviews/proposals/{proposal.id}", data={"recommendation": "approve", **scores})

    assert response.status_code == 302 and f"/proposals/{proposal.id}" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Review.id)).where(Review.proposal_id == proposal.id)) == 1
