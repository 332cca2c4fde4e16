"""A NUL character typed or pasted into a form is dropped: PostgreSQL cannot store it (a 500)."""
import sqlalchemy as sa

from tests.functional.cohort import signed_in
from tracker.extensions import db
from tracker.models import Comment, Role, Stage


def test_a_nul_character_in_a_comment_is_dropped(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING)
    client = signed_in(app, cohort.people["author"])

    response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "좋은\x00 생각"})

    assert response.status_code == 302
    assert db.session.scalar(sa.select(Comment.body).where(Comment.proposal_id == proposal.id)) == "좋은 생각"


def test_a_nul_character_in_the_sign_in_and_the_search_is_no_error(client, make_account):
    user = make_account(Role.MANAGER)
    assert client.post("/auth/login", data={"identifier": user.staff_id + "\x00", "password": "x"}).status_code == 200
    assert client.post("/auth/login", data={"identifier": user.staff_id, "password": "correct-horse-battery"}
                       ).status_code == 302
    assert client.get("/proposals/", query_string={"q": "빈\x00집"}).status_code == 200
