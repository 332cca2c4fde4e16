"""Search and similar ideas read the database's own index, kept in the transaction of every write:
partial Korean words match, an edit is seen by the very next request (of any server), and the
index finds exactly what reading every text would."""
import re

import pytest
import sqlalchemy as sa

from tests.factories import csv_bytes
from tests.functional.cohort import READY, signed_in
from tests.helpers import text_of
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.models import Proposal, Stage
from tracker.services.proposals import queries, similar, text_index
from tracker.services.text_match import contains



def listed(client, query: str) -> list[str]:
    html = client.get("/proposals/", query_string={"q": query}).get_data(as_text=True)
    return re.findall(r'<h2><a href="/proposals/\d+">([^<]+)</a></h2>', html)


def hints(client, text: str) -> list[str]:
    html = client.get("/proposals/similar", query_string={"q": text}).get_data(as_text=True)
    return re.findall(r'<a href="/proposals/\d+">([^<]+)</a>', html)


def edit_form(proposal, **changes) -> dict:
    data = {"title": proposal.title, "summary": proposal.summary or "", "problem": proposal.problem or "",
            "proposal_text": proposal.proposal_text or "", "expected_effect": proposal.expected_effect or "",
            "beneficiaries": "", "budget": "", "department": "", "version": proposal.version}
    return {**data, **changes}


def test_a_two_syllable_word_finds_the_project_it_is_part_of(app, cohort):
    member = signed_in(app, cohort.people["author"])
    assert listed(member, "빈집") == ["빈집있는교?"]
    assert listed(member, "있는교") == ["빈집있는교?"]
    assert listed(member, "빈집 청년") == ["빈집있는교?"]  # every word, in the title or the summary
    assert listed(member, "빈집 드론") == []


def test_an_edit_is_found_by_the_next_request_of_another_server(app, another_app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="청년 빈집 활용", **READY)
    author = signed_in(app, cohort.people["author"])
    other_server = signed_in(another_app(WTF_CSRF_ENABLED=False), cohort.people["author"])
    assert listed(other_server, "드론") == [] and "청년 빈집 활용" in hints(other_server, "청년 빈집 활용")
    saved = author.post(f"/proposals/{proposal.id}/edit",
                        data=edit_form(proposal, title="드론 택배 시범", problem="섬마을 택배가 이틀 걸림"))
    assert saved.status_code == 302
    assert listed(other_server, "드론") == ["드론 택배 시범"]
    assert listed(other_server, "섬마을") == ["드론 택배 시범"]  # the long texts are searched too
    assert "드론 택배 시범" in hints(other_server, "드론 택배")
    assert "청년 빈집 활용" not in hints(other_server, "청년 빈집 활용")
    assert listed(other_server, "빈집 활용") == ["빈집있는교?"]  # cohort 1's; no longer the edited one


def test_new_ideas_imports_and_carried_over_copies_are_found_at_once(app, cohort):
    member = signed_in(app, cohort.people["author"])
    member.post("/proposals/new", data={"team": cohort.team.id, "title": "야간 드론 쇼", "summary": ""})
    assert listed(member, "드론") == ["야간 드론 쇼"]
    report = import_ideas(csv_bytes([["기수", "제목", "요약"], ["소소기획단 2기", "스마트 축사 관리", "축사 냄새 줄이기"]]),
                          "ideas.csv")
    db.session.commit()
    assert report.ok and listed(member, "축사") == ["스마트 축사 관리"]
    changed = import_ideas(csv_bytes([["기수", "제목", "요약"], ["소소기획단 2기", "스마트 축사 관리", "악취 저감"]]),
                           "ideas.csv")
    db.session.commit()
    assert changed.updated == 1 and listed(member, "악취") == ["스마트 축사 관리"] and listed(member, "냄새") == []


@pytest.mark.parametrize("query", ["빈집", "집", "Drone 배송", "SMART", "청년 창업", "황리단길", "빈집있는교?", "스마트팜",
                                   "100%", "o'brien", "sm", "집있", "빈집?"])
def test_the_index_finds_what_reading_every_text_finds(app, cohort, query):
    for n, (title, summary, problem) in enumerate([
            ("Drone 배송 서비스", "APP으로 부르는 드론", None), ("빈집있는 청년 주택", None, "빈집 100% 활용"),
            ("SMART FARM 청년", "스마트팜 창업", "o'brien farm"), ("야간 관광 황리단길", "집 앞 관광", None),
            ("빈 집 앞 정비", "있는 그대로", None)]):  # the pairs 빈집 and 집있 only across words
        cohort.proposal(Stage.IDEA, title=title, summary=summary, problem=problem, source_key=f"s-{n}")
    for who in ("author", "outsider", "manager"):
        viewer = cohort.people[who]
        by_index = queries.proposal_list(queries.ProposalFilter(text=query), 1, 100, viewer)
        scanned = db.session.scalars(sa.select(Proposal.id).where(*(
            sa.or_(*(contains(column, word) for column in queries.SEARCHED_COLUMNS)) for word in query.split()),
            queries.permissions.visible_proposals(viewer)).order_by(Proposal.id)).all()
        assert sorted(p.id for p in by_index.items) == scanned and by_index.total == len(scanned)


@pytest.mark.parametrize("text", ["빈집있는교? 빈집을 빈집", "SMART_farm İstanbul Ǆemal x 9Z a1b2", "집 앞 ㅋ", "",
                                  "o'brien 100% 황리단길황리단길", "드론\n배송\t서비스—앱 ①② ½"])
def test_the_indexed_pairs_are_those_of_every_word(text):
    assert text_index.gram_set(text) == set(text_index.grams(text))


def test_a_longer_title_keeps_the_closest_past_idea(app, cohort):
    manager = signed_in(app, cohort.people["manager"])
    assert hints(manager, "빈집 리모델링")[0] == "빈집있는교?"
    assert hints(manager, "빈집 리모델링 청년 셰어하우스")[0] == "빈집있는교?"
    assert hints(manager, "드론 배송") == []
    found = similar.similar_ideas("빈집 리모델링 청년 셰어하우스", cohort.people["manager"])
    assert found[0].shared_words == ("빈집있는교", "빈집을", "청년을")


def test_hints_show_only_what_the_person_may_see(app, cohort, make_account):
    import_ideas(csv_bytes([["기수", "제목"], ["소소기획단 3기", "드론 배송 3기"]]), "other.csv", create_teams=True)
    cohort.proposal(Stage.IDEA, title="드론 배송 2기")
    db.session.commit()
    member = signed_in(app, cohort.people["author"])
    assert hints(member, "드론 배송") == ["드론 배송 2기"]
    assert sorted(hints(signed_in(app, cohort.people["manager"]), "드론 배송")) == ["드론 배송 2기", "드론 배송 3기"]


def test_the_list_page_says_how_many_match(app, cohort):
    for n in range(3):
        cohort.proposal(Stage.IDEA, title=f"빈집 지도 {n}")
    page = text_of(signed_in(app, cohort.people["author"]).get("/proposals/?q=빈집"))
    assert "4건" in page
