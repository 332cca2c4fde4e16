"""Logging an idea, developing it, two people editing at once, search, similar ideas, lineage, comments."""
import re

import sqlalchemy as sa

from tests.factories import csv_bytes
from tests.helpers import statements_during, text_of
from tests.functional.cohort import signed_in
from tracker.importers import import_ideas
from tracker.extensions import db
from tracker.models import Notification, Proposal, ProposalRevision, Role, Stage, StageChange
from tracker.services import teams as team_service



def version_in(response) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', response.get_data(as_text=True))[1]


def edit_form(proposal, version, **changes):
    data = {"version": version, "title": proposal.title, "summary": proposal.summary or "",
            "subcommittee_id": proposal.subcommittee_id or "", "problem": proposal.problem or "",
            "proposal_text": proposal.proposal_text or "", "expected_effect": proposal.expected_effect or "",
            "beneficiaries": "", "budget_krw": "", "department": "", "notes": "", "builds_on_id": "",
            "coauthor_ids": [a.user_id for a in proposal.authors]}
    data.update(changes)
    return data


def test_a_member_logs_an_idea_with_a_title_only(app, cohort):
    member = signed_in(app, cohort.people["author"])
    assert "새 아이디어" in text_of(member.get("/proposals/new"))
    empty = member.post("/proposals/new", data={"team": cohort.team.id, "title": " "})
    assert "이 항목은 필수입니다." in text_of(empty)
    done = member.post("/proposals/new", data={"team": cohort.team.id, "title": "청년 공유주택"})
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "청년 공유주택"))
    assert done.headers["Location"] == f"/proposals/{proposal.id}"
    assert proposal.stage == Stage.IDEA and proposal.subcommittee_id == cohort.youth.id  # the author's own
    assert proposal.author_names == ["김민지"]
    [change] = db.session.scalars(sa.select(StageChange).where(StageChange.proposal_id == proposal.id))
    assert (change.from_stage, change.to_stage, change.action) == (None, Stage.IDEA, "create")
    mentor = signed_in(app, cohort.people["mentor"])
    assert mentor.get("/proposals/new").status_code == 403


def test_developing_records_every_edit_with_who_and_what(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING)
    member = signed_in(app, cohort.people["author"])
    form = member.get(f"/proposals/{proposal.id}/edit")
    data = edit_form(proposal, version_in(form), problem="빈집 1,200채", budget_krw="50000000",
                     department="건축과", coauthor_ids=[cohort.people["author"].id, cohort.people["sub_member"].id],
                     **{"references-0-city": "전북 완주군", "references-0-title": "빈집 리모델링 청년주택",
                        "references-0-url": "https://www.wanju.go.kr", "references-0-notes": ""})
    assert member.post(f"/proposals/{proposal.id}/edit", data=data).status_code == 302
    db.session.refresh(proposal)
    assert proposal.problem == "빈집 1,200채" and proposal.budget_krw == 50_000_000
    assert proposal.author_names == ["김민지", "박서준"]
    assert [(r.city, r.url) for r in proposal.references] == [("전북 완주군", "https://www.wanju.go.kr")]
    [revision] = db.session.scalars(sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id))
    assert revision.actor_id == cohort.people["author"].id and revision.proposal_version == proposal.version
    assert set(revision.changes) == {"problem", "budget_krw", "department", "authors", "references"}
    page = text_of(member.get(f"/proposals/{proposal.id}"))
    assert "예산 : – → 50,000,000원" in page and "제안자 : 김민지 → 김민지, 박서준" in page
    no_title = member.post(f"/proposals/{proposal.id}/edit", data=edit_form(proposal, proposal.version, title=""))
    assert no_title.status_code == 200 and "이 항목은 필수입니다." in text_of(no_title)
    bad_link = member.post(f"/proposals/{proposal.id}/edit", data=edit_form(
        proposal, proposal.version, **{"references-0-url": "javascript:alert(1)"}))
    assert bad_link.status_code == 200 and "링크는 http:// 또는 https://로 시작해야 합니다." in text_of(bad_link)
    db.session.refresh(proposal)
    assert [r.url for r in proposal.references] == ["https://www.wanju.go.kr"]

def test_two_people_editing_merge_or_see_the_conflict(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, problem="처음 문제", expected_effect="처음 효과")
    first, second = signed_in(app, cohort.people["author"]), signed_in(app, cohort.people["sub_member"])
    v1, v2 = version_in(first.get(f"/proposals/{proposal.id}/edit")), version_in(second.get(f"/proposals/{proposal.id}/edit"))
    assert v1 == v2
    assert first.post(f"/proposals/{proposal.id}/edit", data=edit_form(proposal, v1, problem="김민지의 문제")).status_code == 302
    # a different field from the stale form: merged, nothing lost
    assert second.post(f"/proposals/{proposal.id}/edit",
                       data=edit_form(proposal, v2, problem="처음 문제", expected_effect="박서준의 효과")).status_code == 302
    db.session.refresh(proposal)
    assert (proposal.problem, proposal.expected_effect) == ("김민지의 문제", "박서준의 효과")
    # the same field from a stale form: stopped and shown
    stale = second.post(f"/proposals/{proposal.id}/edit",
                        data=edit_form(proposal, v2, problem="박서준의 문제", expected_effect="박서준의 효과",
                                       beneficiaries="박서준의 대상"))
    page = text_of(stale)
    assert stale.status_code == 200 and "수정하는 동안 다른 사람이 이 제안을 저장했습니다" in page
    assert "김민지의 문제" in page and "박서준의 문제" in page
    # what the box says is true: nothing of this edit is saved, the other field waits in the form
    assert "내 수정은 아직 하나도 저장되지 않았습니다" in page and "그대로 반영됩니다" not in page
    assert 'value="박서준의 대상"' in stale.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.problem == "김민지의 문제" and proposal.beneficiaries != "박서준의 대상"
    # the person decides and saves again with the version the conflict page carries
    again = second.post(f"/proposals/{proposal.id}/edit",
                        data=edit_form(proposal, version_in(stale), problem="둘을 합친 문제",
                                       expected_effect="박서준의 효과"))
    assert again.status_code == 302
    db.session.refresh(proposal)
    assert proposal.problem == "둘을 합친 문제"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalRevision)
                             .where(ProposalRevision.proposal_id == proposal.id)) == 3


def test_who_may_edit(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING)
    for person, status in [("author", 200), ("sub_member", 200), ("team_member", 403), ("mentor", 403),
                           ("manager", 200), ("outsider", 404)]:  # not theirs to see: not there
        assert signed_in(app, cohort.people[person]).get(f"/proposals/{proposal.id}/edit").status_code == status, person
    submitted = cohort.proposal(Stage.IN_REVIEW)
    assert signed_in(app, cohort.people["author"]).get(f"/proposals/{submitted.id}/edit").status_code == 403


def test_search_finds_korean_partial_words_in_any_text(app, cohort):
    cohort.proposal(Stage.DEVELOPING, title="청년 창업 공간", problem="구도심 공실 상가가 많다", department="일자리경제과")
    manager = signed_in(app, cohort.people["manager"])
    assert "빈집있는교?" in text_of(manager.get("/proposals/?q=빈집"))
    found = text_of(manager.get("/proposals/?q=공실"))
    assert "청년 창업 공간" in found and "제안 1건" in found
    assert "청년 창업 공간" in text_of(manager.get("/proposals/?q=구도심 상가"))  # every word, anywhere
    assert "제안 0건" in text_of(manager.get("/proposals/?q=구도심 빈집"))
    assert "청년 창업 공간" in text_of(manager.get("/proposals/?department=경제"))
    by_author = text_of(manager.get("/proposals/?author=민지"))
    assert "청년 창업 공간" in by_author and "빈집있는교?" not in by_author
    newest = text_of(manager.get("/proposals/?sort=newest"))
    assert newest.index("청년 창업 공간") < newest.index("빈집있는교?")


def test_similar_ideas_appear_while_typing_and_on_the_proposal(app, cohort):
    member = signed_in(app, cohort.people["author"])
    hints = member.get("/proposals/similar?q=빈집을 고쳐 청년에게").get_data(as_text=True)
    assert "빈집있는교?" in hints and "소소기획단 1기" in hints
    assert member.get("/proposals/similar?q=").get_data(as_text=True).strip() == ""
    assert "빈집있는교?" not in member.get("/proposals/similar?q=드론 배송").get_data(as_text=True)
    proposal = cohort.proposal(Stage.IDEA, title="빈집 청년 주택")
    page = member.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'data-like="{proposal.id}"' in page  # the page asks once loaded
    hints = member.get(f"/proposals/similar?like={proposal.id}").get_data(as_text=True)
    assert "빈집있는교?" in hints and "빈집 청년 주택" not in hints
    assert signed_in(app, cohort.people["outsider"]).get(f"/proposals/similar?like={proposal.id}").status_code == 404


def test_lineage_and_carry_over_are_visible_both_ways(app, cohort, make_account):
    cohort3 = team_service.create_team("소소기획단", 3)
    db.session.commit()
    team_service.add_member(cohort3, cohort.people["author"], subcommittee=cohort3.subcommittees[0])
    db.session.commit()
    not_selected = cohort.proposal(Stage.NOT_SELECTED, title="청년 농부 학교", problem="농촌 고령화")
    member = signed_in(app, cohort.people["author"])
    page = member.get(f"/proposals/{not_selected.id}").get_data(as_text=True)
    assert "다음 기수로 이어가기" in text_of(member.get(f"/proposals/{not_selected.id}"))
    assert f"/proposals/{not_selected.id}/carry-over" in page
    moved = member.post(f"/proposals/{not_selected.id}/carry-over", data={"team": cohort3.id})
    copy = db.session.scalar(sa.select(Proposal).where(Proposal.team_id == cohort3.id))
    assert moved.headers["Location"] == f"/proposals/{copy.id}"
    assert (copy.title, copy.problem, copy.stage, copy.carried_over_from_id) == (
        "청년 농부 학교", "농촌 고령화", Stage.IDEA, not_selected.id)
    assert copy.subcommittee.key == not_selected.subcommittee.key
    assert "이어온 원래 제안" in text_of(member.get(f"/proposals/{copy.id}")) or \
        "청년 농부 학교" in text_of(member.get(f"/proposals/{copy.id}"))
    assert "소소기획단 3기" in text_of(member.get(f"/proposals/{not_selected.id}"))
    # carried once into 3기: the button is gone (2기 is its own cohort), a second post is refused
    assert f"/proposals/{not_selected.id}/carry-over" not in member.get(f"/proposals/{not_selected.id}").get_data(
        as_text=True)
    again = member.post(f"/proposals/{not_selected.id}/carry-over", data={"team": cohort3.id}, follow_redirects=True)
    assert "이미 소소기획단 3기로 이어졌습니다" in text_of(again)

    archived = db.session.scalar(sa.select(Proposal.id).where(Proposal.title == "빈집있는교?"))
    builds = member.post(f"/proposals/{copy.id}/edit", data=edit_form(copy, copy.version, builds_on_id=archived))
    assert builds.status_code == 302
    assert "빈집있는교?" in text_of(member.get(f"/proposals/{copy.id}"))
    assert "청년 농부 학교" in text_of(member.get(f"/proposals/{archived}"))


def test_comments_mention_people_who_see_it_in_their_notifications(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING)
    sub_member, mentor = signed_in(app, cohort.people["sub_member"]), signed_in(app, cohort.people["mentor"])
    assert sub_member.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "@최교수님 예산 규모 괜찮을까요? <b>굵게</b>"}).status_code == 302
    page = mentor.get("/teams/").get_data(as_text=True)
    assert 'class="count"' in page and ">1</span>" in page
    notes = text_of(mentor.get("/notifications/"))
    assert "박서준 님이 나를 언급했습니다" in notes and "청년 빈집 활용" in notes
    author = text_of(signed_in(app, cohort.people["author"]).get("/notifications/"))
    assert "박서준 님이 내 제안에 댓글을 달았습니다" in author
    detail = mentor.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "&lt;b&gt;굵게&lt;/b&gt;" in detail
    mentor.post("/notifications/read")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.read_at.is_(None))) == 1  # the author's, still unread
    outsider = signed_in(app, cohort.people["outsider"])
    assert outsider.post(f"/proposals/{proposal.id}/comments", data={"body": "몰래"}).status_code == 404
    team_member = signed_in(app, cohort.people["team_member"])
    assert team_member.post(f"/proposals/{proposal.id}/comments", data={"body": "좋아요"}).status_code == 302


def test_mentions_reach_managers_say_who_was_told_and_opening_a_notification_reads_it(app, cohort, make_account):
    proposal = cohort.proposal(Stage.DEVELOPING)
    manager = cohort.people["manager"]
    kim, kim_ji = make_account(Role.MEMBER, name="이도"), make_account(Role.MEMBER, name="이도윤")
    twin = make_account(Role.MEMBER, name="박서준")  # the same name as the sub-member
    for person in (kim, kim_ji, twin):
        team_service.add_member(cohort.team, person, subcommittee=cohort.youth)
    db.session.commit()
    writer = signed_in(app, cohort.people["author"])

    def told(body):
        answer = writer.post(f"/proposals/{proposal.id}/comments", data={"body": body}, follow_redirects=True)
        return text_of(answer)

    page = told(f"@{manager.name}께 일정 확인 부탁드립니다")  # a manager, with a particle
    assert f"알림을 보냈습니다: {manager.name}." in page
    page = told("@이도윤님 자료 공유 부탁해요. @이도 확인해 주세요")  # the longest name meant, not both
    assert "알림을 보냈습니다: 이도윤, 이도." in page
    page = told("@이순신 님, @박서준 보세요 (메일: kim@example.org)")
    assert "“@이순신”과(와) 맞는 사람이 없어" in page and "“@박서준”은(는) 박서준" in page
    assert "“@example" not in page and "kim@example.org" in page  # an e-mail address is not a mention
    mentions = lambda user: db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(  # noqa: E731
        Notification.user_id == user.id, Notification.kind == "mention"))
    assert (mentions(manager), mentions(kim), mentions(kim_ji), mentions(twin)) == (1, 1, 1, 0)

    reader = signed_in(app, kim_ji)
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == kim_ji.id))
    opened = reader.get(f"/notifications/{note.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/proposals/{proposal.id}#comments")
    db.session.refresh(note)
    assert note.read_at is not None
    assert signed_in(app, kim).get(f"/notifications/{note.id}").status_code == 404  # not theirs


def test_saving_again_after_a_conflict_keeps_what_only_the_other_person_changed(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, problem="처음 문제", expected_effect="처음 효과")
    first, second = signed_in(app, cohort.people["author"]), signed_in(app, cohort.people["sub_member"])
    version = version_in(first.get(f"/proposals/{proposal.id}/edit"))
    first.post(f"/proposals/{proposal.id}/edit",
               data=edit_form(proposal, version, problem="김민지의 문제", expected_effect="김민지의 효과"))
    conflict = second.post(f"/proposals/{proposal.id}/edit", data=edit_form(
        proposal, version, problem="박서준의 문제", expected_effect="처음 효과"))
    html = conflict.get_data(as_text=True)
    assert "김민지의 효과</textarea>" in html  # the field only she changed now shows her text
    assert "박서준의 문제</textarea>" in html  # the field both changed keeps his, beside hers
    again = re.search(r'<textarea[^>]*name="expected_effect"[^>]*>\s*([^<]*)</textarea>', html)[1]
    second.post(f"/proposals/{proposal.id}/edit", data=edit_form(
        proposal, version_in(conflict), problem="박서준의 문제", expected_effect=again))
    db.session.refresh(proposal)
    assert (proposal.problem, proposal.expected_effect) == ("박서준의 문제", "김민지의 효과")


def test_bad_hidden_values_and_long_lists_are_not_errors(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING)
    member = signed_in(app, cohort.people["author"])
    for version in ("abc", "99999999999999999999999", ""):
        response = member.post(f"/proposals/{proposal.id}/edit", data=edit_form(proposal, version, problem="x"))
        assert response.status_code == 200, version
    assert member.get("/proposals/similar?q=빈집&exclude=99999999999999999999999").status_code == 200
    references = {f"references-{n}-city": f"도시{n}" for n in range(20)}
    assert member.post(f"/proposals/{proposal.id}/edit",
                       data=edit_form(proposal, proposal.version, **references)).status_code == 302
    db.session.refresh(proposal)
    assert len(proposal.references) == 20
    assert member.get(f"/proposals/{proposal.id}/edit").status_code == 200


def test_lineage_shows_only_proposals_the_viewer_may_open(app, cohort):
    archived = db.session.scalar(sa.select(Proposal).where(Proposal.title == "빈집있는교?"))
    child = cohort.proposal(Stage.DEVELOPING, title="2기의 비공개 제안")
    child.builds_on_id = archived.id
    db.session.commit()
    assert "2기의 비공개 제안" in text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{archived.id}"))
    outsider_view = text_of(signed_in(app, cohort.people["outsider"]).get(f"/proposals/{archived.id}"))
    assert "빈집있는교?" in outsider_view and "2기의 비공개 제안" not in outsider_view


def test_an_import_that_changes_only_authors_is_not_undone_by_an_open_form(app, cohort):
    rows = [["관리번호", "기수", "분과", "제목", "제안자", "단계"],
            ["K-1", "소소기획단 2기", "청년‧인구", "마을 돌봄 지도", "홍길동", "구체화"]]
    assert import_ideas(csv_bytes(rows), "a.csv").ok
    db.session.commit()
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "마을 돌봄 지도"))
    manager = signed_in(app, cohort.people["manager"])
    version = version_in(manager.get(f"/proposals/{proposal.id}/edit"))
    rows[1][4] = "홍길동, 성춘향"
    assert import_ideas(csv_bytes(rows), "b.csv").ok
    db.session.commit()
    db.session.expire_all()
    revision = db.session.scalars(sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id)
                                  .order_by(ProposalRevision.id.desc())).first()
    # the open form's version is now stale, and the import's revision says which version it made
    assert db.session.get(Proposal, proposal.id).version == int(version) + 1 == revision.proposal_version
    manager.post(f"/proposals/{proposal.id}/edit", data=edit_form(proposal, version, problem="돌봄 공백",
                                                                 coauthor_ids=[]))
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.problem == "돌봄 공백" and proposal.author_names == ["홍길동", "성춘향"]


def test_a_comment_and_a_move_do_not_read_the_proposal_pages_history(app, cohort):
    proposal = cohort.proposal(Stage.IDEA)
    author = signed_in(app, cohort.people["author"])
    sent = []
    statements = statements_during(app, lambda: sent.extend([
        author.post(f"/proposals/{proposal.id}/comments", data={"body": "현장 사진을 더하겠습니다"}),
        author.post(f"/proposals/{proposal.id}/move/develop", data={})]))
    assert [answer.status_code for answer in sent] == [302, 302]
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).stage == Stage.DEVELOPING
    history_reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")
                     and re.search(r"FROM (stage_change|proposal_revision|comment)\b", s)]
    assert history_reads == []
