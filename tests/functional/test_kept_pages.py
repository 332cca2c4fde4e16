"""Busy pages are kept in memory between writes (tracker/views/kept_pages.py): a kept page is served
without being drawn again, yet every write of any kind, by anyone, shows on the next load; form
tokens and messages stay each browser's own."""
import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.functional.cohort import make_cohort, signed_in
from tracker.extensions import db
from tracker.models import Stage
from tracker.services import discussion, notifications, workflow


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)


def queries(response) -> int:
    return int(response.headers["X-Query-Count"])


def loaded_twice(client, url):
    """The first and second answer for ``url``; the second is kept: the person with their roles and
    the stamps, in one statement."""
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert queries(again) == 1 < queries(first)
    return first, again


def test_a_kept_board_is_served_with_a_few_queries_and_drawn_again_after_a_move(another_app, cohort):
    app = another_app(QUERY_COUNT_HEADER=True)
    proposal = cohort.proposal(Stage.IDEA, title="빈집 청년 공방")
    manager = _signed_in_with_token(app, cohort.people["manager"])
    url = f"/teams/{cohort.team.id}/board"
    first, again = loaded_twice(manager, url)
    assert _without_tokens(again) == _without_tokens(first)

    workflow.move(proposal, "develop", actor=cohort.people["author"])
    db.session.commit()
    after = manager.get(url)
    assert queries(after) > 3
    column = after.get_data(as_text=True).split('id="col-developing"')[1].split("</section>")[0]
    assert "빈집 청년 공방" in column


def test_a_kept_download_keeps_its_file_name_and_nothing_else_and_shows_the_next_write(another_app, cohort):
    app = another_app(QUERY_COUNT_HEADER=True)
    proposal = cohort.proposal(Stage.IDEA, title="빈집 청년 공방")
    manager = _signed_in_with_token(app, cohort.people["manager"])
    url = f"/teams/{cohort.team.id}/board.csv"
    first, again = loaded_twice(manager, url)
    assert again.data == first.data and "빈집 청년 공방" in again.data.decode("utf-8-sig")
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["Content-Disposition"].startswith('attachment; filename="board-')
    assert again.content_type == "text/csv; charset=utf-8"

    discussion.add_comment(proposal, "의견", actor=cohort.people["mentor"])  # any write, even one not in the file
    proposal.title = "빈집 청년 공방 2호"
    db.session.commit()
    after = manager.get(url)
    assert "빈집 청년 공방 2호" in after.data.decode("utf-8-sig")


def test_a_comment_and_read_notifications_show_at_once(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="야간 관광 버스")
    author = signed_in(app, cohort.people["author"])
    url = f"/proposals/{proposal.id}"
    assert "주말에도 운행" not in author.get(url).get_data(as_text=True)
    discussion.add_comment(proposal, "주말에도 운행하면 좋겠습니다.", actor=cohort.people["mentor"])
    db.session.commit()
    page = author.get(url).get_data(as_text=True)
    assert "주말에도 운행하면 좋겠습니다." in page
    assert re.search(r'class="count"[^>]*>1<', page), "the comment's notification in the menu"

    notifications.mark_all_read(cohort.people["author"])  # one UPDATE statement, no flush
    db.session.commit()
    assert not re.search(r'class="count"[^>]*>1<', author.get(url).get_data(as_text=True))


def test_each_browser_of_one_person_gets_a_token_of_its_own(another_app, cohort):
    app = another_app(WTF_CSRF_ENABLED=True)
    proposal = cohort.proposal(Stage.DEVELOPING, title="로컬푸드 직판장")
    url = f"/proposals/{proposal.id}"
    phone, desktop = _signed_in_with_token(app, cohort.people["author"]), _signed_in_with_token(
        app, cohort.people["author"])
    phone_page, desktop_page = phone.get(url).get_data(as_text=True), desktop.get(url).get_data(as_text=True)
    phone_token, desktop_token = _token(phone_page), _token(desktop_page)
    assert phone_token != desktop_token
    assert "placeholder" not in desktop_page

    saved = desktop.post(f"{url}/comments", data={"csrf_token": desktop_token, "body": "책상에서 남긴 의견"})
    assert saved.status_code == 302
    refused = desktop.post(f"{url}/comments", data={"csrf_token": phone_token, "body": "다른 기기의 표"})
    assert refused.status_code == 400
    assert "책상에서 남긴 의견" in phone.get(url).get_data(as_text=True)


def test_the_message_after_a_move_shows_once(app, cohort):
    proposal = cohort.proposal(Stage.IDEA, title="반려동물 놀이터")
    manager = signed_in(app, cohort.people["manager"])
    board = f"/teams/{cohort.team.id}/board"
    manager.get(board)
    moved = manager.post(f"{board}/move", data={"proposal_id": proposal.id, "action": "develop", "back": board},
                         follow_redirects=True)
    message = "“반려동물 놀이터”을(를) “구체화” 단계로 옮겼습니다."
    assert message in moved.get_data(as_text=True)
    assert message not in manager.get(board).get_data(as_text=True)


def test_each_language_is_kept_apart(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    assert "현황판" in manager.get(f"/teams/{cohort.team.id}/board").get_data(as_text=True)
    manager.get("/lang/en")
    assert "Status board" in manager.get(f"/teams/{cohort.team.id}/board").get_data(as_text=True)


def _signed_in_with_token(app, user):
    client = app.test_client()
    token = _token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"csrf_token": token, "identifier": user.staff_id,
                                                "password": PASSWORD})
    assert response.status_code == 302
    return client


def _without_tokens(response) -> str:
    """The page with its form tokens blanked: a token carries the second it was signed in."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", response.get_data(as_text=True))


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_a_write_in_plain_sql_through_the_session_shows_too(app, cohort):
    proposal = cohort.proposal(Stage.IDEA, title="공유 주차장")
    author = signed_in(app, cohort.people["author"])
    url = f"/proposals/{proposal.id}"
    assert "공유 주차장" in author.get(url).get_data(as_text=True)
    db.session.execute(sa.text("UPDATE proposal SET title = :title WHERE id = :id"),
                       {"title": "주말 공유 주차장", "id": proposal.id})
    db.session.commit()
    assert "주말 공유 주차장" in author.get(url).get_data(as_text=True)
