"""A manager imports past ideas on a page: upload for a cohort, a preview that writes nothing, then
save, save only the good rows by choice, or cancel (issue 21)."""
import io
import re

import sqlalchemy as sa

from tests.factories import csv_bytes
from tests.functional.cohort import signed_in
from tests.helpers import text_of
from tracker.extensions import db
from tracker.models import Notification, PendingImport, Proposal, Role
from tracker.services import teams as team_service


def _titles() -> set[str]:
    return set(db.session.scalars(sa.select(Proposal.title)))


def _upload(client, rows, team_id=""):
    return client.post("/proposals/import", data={"file": (_file(rows), "ideas.csv"), "team": team_id},
                       content_type="multipart/form-data")


def _file(rows):
    return io.BytesIO(csv_bytes(rows))


def test_a_manager_previews_then_saves_a_file_for_a_cohort(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    page = text_of(manager.get("/proposals/import"))
    assert "지난 아이디어 가져오기" in page and "제목/title" in page and "--" not in page
    before = _titles()
    first = team_service.find_team("소소기획단 1기")
    preview = _upload(manager, [["제목", "분과", "요약"], ["빈집있는교?", "청년‧인구", "바뀐 요약"],
                                ["장수의자", "청년‧인구", "고령화 사회에 대응하는 시책"],
                                ["새 마을 기록관", "문화관광", "마을 이야기 보존"]], first.id)
    html, text = preview.get_data(as_text=True), text_of(preview)
    assert "아직 아무것도 저장하지 않았습니다" in text
    assert "추가 1건, 변경 1건, 변경 없음 1건, 문제 있는 행 0건" in text, text
    assert re.search(r"4 새 마을 기록관 소소기획단 1기 추가", text) and re.search(r"2 빈집있는교\? 소소기획단 1기 변경", text)
    assert _titles() == before  # the preview writes nothing
    token = re.search(r'action="/proposals/import/([^"]+)"', html)[1]

    saved = manager.post(f"/proposals/import/{token}", data={"choice": "all"})
    assert "저장했습니다: 추가 1건, 변경 1건" in text_of(saved), text_of(saved)
    added = db.session.scalar(sa.select(Proposal).where(Proposal.title == "새 마을 기록관"))
    assert added.team_id == first.id and added.subcommittee.name_ko == "문화관광"
    assert f'href="/proposals/{added.id}"' in saved.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingImport)) == 0
    assert manager.post(f"/proposals/import/{token}", data={"choice": "all"}).status_code == 404  # used once


def test_rows_with_problems_are_listed_and_the_good_ones_saved_only_by_choice(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    rows = [["제목", "기수", "분과", "단계", "예산"],
            ["좋은 제안", "소소기획단 2기", "청년‧인구", "아이디어", "100만원"],
            ["", "소소기획단 2기", "청년‧인구", "", ""],
            ["분과가 틀린 제안", "소소기획단 2기", "우주항공", "없는단계", "많이"],
            ["없는 기수 제안", "소소기획단 9기", "", "", ""]]
    preview = _upload(manager, rows)
    html, text = preview.get_data(as_text=True), text_of(preview)
    assert "추가 1건, 변경 0건, 변경 없음 0건, 문제 있는 행 3건" in text, text
    problems = text[text.index("문제 있는 행 (가져오지 않음)"):text.index("행 제목 기수 처리")]
    # every fault of every row in one pass: row 4's unknown subcommittee beside its stage and budget
    for row, column, words in ((3, "제목", "제목이 비어"), (4, "분과", "우주항공"), (4, "단계", "없는단계"),
                               (4, "예산", "많이"), (5, "기수/team", "소소기획단 9기")):
        assert re.search(rf"(?<!\d){row} {column}\S* [^“\d]*“?{words}", problems), (row, column, problems)
    assert 'value="all"' not in html and 'value="good_rows"' in html  # saving the good rows is a choice
    token = re.search(r'action="/proposals/import/([^"]+)"', html)[1]
    refused = manager.post(f"/proposals/import/{token}", data={"choice": "all"})
    assert "좋은 제안" not in _titles() and "아무것도 저장하지 않았습니다" in text_of(refused)
    saved = manager.post(f"/proposals/import/{token}", data={"choice": "good_rows"})
    assert "좋은 제안" in _titles() and "분과가 틀린 제안" not in _titles()
    added = db.session.scalar(sa.select(Proposal.id).where(Proposal.title == "좋은 제안"))
    assert f'href="/proposals/{added}"' in saved.get_data(as_text=True)  # the result links to what was saved


def test_a_cancelled_or_unreadable_file_saves_nothing_and_only_managers_import(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    preview = _upload(manager, [["제목"], ["취소할 제안"]], team_service.find_team("소소기획단 2기").id)
    token = re.search(r'action="/proposals/import/([^"]+)"', preview.get_data(as_text=True))[1]
    assert "가져오지 않았습니다" in text_of(manager.post(f"/proposals/import/{token}", data={"choice": "cancel"}))
    assert "취소할 제안" not in _titles()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingImport)) == 0
    broken = manager.post("/proposals/import", data={"file": (_file([["색깔"], ["빨강"]]), "x.csv"), "team": ""},
                          content_type="multipart/form-data")
    assert "가져올 수 없습니다" in text_of(broken)

    member = signed_in(app, cohort.people["author"])
    assert member.get("/proposals/import").status_code == 403
    assert member.post(f"/proposals/import/{token}", data={"choice": "all"}).status_code in (403, 404)


def test_authors_who_have_one_account_are_linked_and_the_page_says_which(app, cohort, make_account):
    make_account(Role.MEMBER, name="동명이인")
    make_account(Role.MEMBER, name="동명이인")
    manager = signed_in(app, cohort.people["manager"])
    author = cohort.people["author"]  # 김민지: one account
    preview = text_of(_upload(manager, [["제목", "제안자"], ["연결될 제안", f"{author.name}, 동명이인, 외부 인사"]],
                              team_service.find_team("소소기획단 2기").id))
    assert f"계정과 연결한 제안자 (제안의 알림을 받습니다): {author.name}" in preview
    assert "이름으로만 남긴 제안자 (계정이 없거나 같은 이름이 여럿): 동명이인, 외부 인사" in preview
    token = re.search(r'action="/proposals/import/([^"]+)"', _upload(
        manager, [["제목", "제안자"], ["연결될 제안", f"{author.name}, 동명이인, 외부 인사"]],
        team_service.find_team("소소기획단 2기").id).get_data(as_text=True))[1]
    manager.post(f"/proposals/import/{token}", data={"choice": "all"})
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "연결될 제안"))
    assert [(a.user_id, a.name) for a in proposal.authors] == [(author.id, None), (None, "동명이인"), (None, "외부 인사")]
    commenter = signed_in(app, cohort.people["manager"])
    commenter.post(f"/proposals/{proposal.id}/comments", data={"body": "가져온 제안에 의견 남깁니다"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == author.id, Notification.proposal_id == proposal.id)) == 1
