"""What an outside probe found, tried again as an attacker would: each test fails without its fix.
(Sessions, sign-in limits and forms: tests/security/test_sign_in_and_sessions.py; who gets 404 for
what they may not see, and the external judge's account: tests/security/test_access_matrix.py.)"""
import io
import zipfile

import pytest
import sqlalchemy as sa

from tests.factories import xlsx_bytes
from tests.functional.cohort import make_cohort, signed_in
from tests.helpers import text_of
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.importers.people import import_people
from tracker.models import EventJudge, JudgeScore, PresentationSlot, Proposal, ProposalAuthor, Stage
from tracker.services import presentation

READY = dict(summary="한 줄", problem="문제", proposal_text="제안", expected_effect="효과")


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)


def _rewritten(workbook: bytes, part: str, change) -> bytes:
    """The workbook with one of its parts changed (as a hand-made file would be)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, change(content) if item.filename == part else content)
    return out.getvalue()


def _declaring(ref: str) -> bytes:
    workbook = xlsx_bytes([["제목"], ["빈집 지도"]])
    return _rewritten(workbook, "xl/worksheets/sheet1.xml",
                      lambda xml: xml.replace(b'<dimension ref="A1:A2" />', f'<dimension ref="{ref}" />'.encode()))


def test_a_sheet_declared_16384_columns_wide_is_refused_before_it_is_read(programme):
    crafted = _declaring("A1:XFD3000")
    assert len(crafted) < 10_000
    report = import_ideas(crafted, "wide.xlsx", team="소소기획단 2기", dry_run=True)
    assert "16,384열" in report.file_error and "200열까지만" in report.file_error
    people = import_people(crafted, "wide.xlsx", actor=None, address=None, dry_run=True)
    assert "16,384열" in people.file_error


def test_a_sheet_declared_a_million_rows_long_is_refused(programme):
    report = import_ideas(_declaring("A1:B1000000"), "long.xlsx", team="소소기획단 2기")
    assert "100,000개를 넘습니다" in report.file_error and not report.written


def test_a_small_file_that_unpacks_to_a_huge_cell_is_refused_before_it_is_read(programme):
    huge = "가" * 20_000_000  # 60 MB of text packed into a file of a few hundred KB
    workbook = _rewritten(xlsx_bytes([["제목"], ["x"]]), "xl/worksheets/sheet1.xml",
                          lambda xml: xml.replace(b"<t>x</t>", f"<t>{huge}</t>".encode()))
    assert len(workbook) < 1_000_000
    report = import_ideas(workbook, "bomb.xlsx", team="소소기획단 2기")
    assert "50MB" in report.file_error and not report.written


def test_a_cell_longer_than_a_spreadsheet_cell_is_refused_with_its_address(programme):
    workbook = _rewritten(xlsx_bytes([["제목", "요약"], ["빈집 지도", "y"]]), "xl/worksheets/sheet1.xml",
                          lambda xml: xml.replace(b"<t>y</t>", ("<t>" + "가" * 40_000 + "</t>").encode()))
    report = import_ideas(workbook, "long.xlsx", team="소소기획단 2기")
    assert "B2 칸에 40,000자" in report.file_error and db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 4


def test_scores_are_hidden_while_scoring_is_open_and_the_programme_shows_only_what_one_may_see(app, cohort):
    manager = cohort.people["manager"]
    mine = cohort.proposal(Stage.SHORTLISTED, title="청년 발표", **READY)
    theirs = cohort.proposal(Stage.SHORTLISTED, title="문화 발표", **READY)
    theirs.subcommittee = cohort.culture
    event = presentation.save_event(cohort.team, held_on=presentation.clock.today(), starts_at=None, place=None,
                                    minutes_per_slot=10, actor=manager)
    event.slots = [PresentationSlot(proposal=mine, position=0), PresentationSlot(proposal=theirs, position=1)]
    event.judges = [EventJudge(user=manager)]
    db.session.flush()
    for proposal, score in ((mine, 9), (theirs, 4)):
        for criterion in event.criteria:
            db.session.add(JudgeScore(event_id=event.id, judge_id=manager.id, proposal_id=proposal.id,
                                      criterion=criterion["key"], score=score))
    db.session.commit()
    member = signed_in(app, cohort.people["author"])
    book = text_of(member.get(f"/teams/{cohort.team.id}/results"))
    assert "심사가 마감되면 순위를 볼 수 있습니다" in book and "9.00" not in book
    assert "9.00" in text_of(signed_in(app, manager).get(f"/teams/{cohort.team.id}/results"))  # managers: live
    presentation.close_scoring(event, actor=manager)
    db.session.commit()
    assert "9.00" in text_of(member.get(f"/teams/{cohort.team.id}/results"))
    # the youth mentor sees the youth presentation in the programme and the ranking, not the culture one
    mentor = signed_in(app, cohort.people["mentor"])
    programme = text_of(mentor.get(f"/events/{event.id}/programme"))
    ranking = text_of(mentor.get(f"/teams/{cohort.team.id}/results"))
    assert "청년 발표" in programme and "문화 발표" not in programme
    assert "청년 발표" in ranking and "문화 발표" not in ranking


def _edit(client, proposal, **changes):
    data = {"title": proposal.title, "summary": "", "problem": "", "proposal_text": "", "expected_effect": "",
            "beneficiaries": "", "budget_krw": "", "department": "", "version": proposal.version, **changes}
    return client.post(f"/proposals/{proposal.id}/edit", data=data)


def test_only_authors_and_managers_change_authors_and_one_always_stays(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="빈집 지도")
    author, sub_member = cohort.people["author"], cohort.people["sub_member"]

    def authors():
        return db.session.scalars(sa.select(ProposalAuthor.user_id).where(ProposalAuthor.proposal_id == proposal.id)
                                  .execution_options(populate_existing=True)).all()

    # a subcommittee member may edit the text, not put themself in as author
    page = _edit(signed_in(app, sub_member), proposal, coauthor_ids=[author.id, sub_member.id])
    assert "제안자와 운영 담당자만 제안자 목록을 바꿀 수 있습니다" in text_of(page) and authors() == [author.id]
    # leaving the field out leaves the authors as they are (it used to drop them all)
    assert _edit(signed_in(app, sub_member), proposal, problem="보완한 문제").status_code == 302
    assert authors() == [author.id]
    db.session.refresh(proposal)
    page = _edit(signed_in(app, author), proposal, coauthor_ids=[])
    assert authors() == [author.id]
    db.session.refresh(proposal)
    assert _edit(signed_in(app, author), proposal, coauthor_ids=[author.id, sub_member.id]).status_code == 302
    assert sorted(authors()) == sorted([author.id, sub_member.id])


def test_a_score_kept_for_another_judge_is_refused(app, cohort, make_account):
    manager = cohort.people["manager"]
    proposal = cohort.proposal(Stage.SHORTLISTED, title="발표", **READY)
    event = presentation.save_event(cohort.team, held_on=presentation.clock.today(), starts_at=None, place=None,
                                    minutes_per_slot=10, actor=manager)
    a, b = make_account(name="심사A"), make_account(name="심사B")
    event.slots = [PresentationSlot(proposal=proposal, position=0)]
    event.judges = [EventJudge(user=a), EventJudge(user=b)]
    db.session.commit()
    sheet = signed_in(app, b).get(f"/events/{event.id}/judge/1").get_data(as_text=True)
    assert f'data-judge="{b.id}"' in sheet
    kept_for_a = signed_in(app, b).post(f"/events/{event.id}/judge/score", data={
        "proposal_id": proposal.id, "criterion": event.criteria[0]["key"], "score": "9", "judge": a.id})
    assert kept_for_a.status_code == 409 and "다른 심사위원" in kept_for_a.json["message"]
    assert db.session.scalar(sa.select(sa.func.count(JudgeScore.id))) == 0
