"""Rough edges a day of use found (issue 20): what a member, a mentor and a manager now see."""
import re


from tests.functional.cohort import READY, signed_in
from tests.helpers import text_of
from tracker.extensions import db
from tracker.models import Stage
from tracker.services import teams as team_service
from tracker.services import workflow
from tracker.services.proposals import editing



def test_a_filtered_list_offers_its_own_rows_as_xlsx_and_csv(app, cohort):
    cohort.proposal(Stage.IDEA, title="드론 배송")
    member = signed_in(app, cohort.people["author"])
    page = member.get("/proposals/?q=빈집&sort=newest&page=1").get_data(as_text=True)
    links = dict(re.findall(r'<a class="button secondary" href="(/proposals/export\.(xlsx|csv)\?[^"]+)"', page))
    assert set(links.values()) == {"xlsx", "csv"}
    csv_link = next(link for link, fmt in links.items() if fmt == "csv")
    assert "page=" not in csv_link and "sort=newest" in csv_link
    rows = member.get(csv_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "빈집있는교?" in rows and "드론 배송" not in rows
    assert '<button type="submit">검색</button>' in page  # the search form's button says what it does


def test_a_card_offers_the_way_forward_first_and_says_each_move_once(app, cohort):
    cohort.proposal(Stage.IN_REVIEW, title="검토 중 제안", **READY)
    board = signed_in(app, cohort.people["manager"]).get(f"/teams/{cohort.team.id}/board").get_data(as_text=True)
    select = board[board.index('name="action"'):]
    options = re.findall(r'<option value="(\w+)">([^<]+)</option>', select[:select.index("</select>")])
    assert [value for value, _text in options] == ["shortlist", "request_changes", "withdraw"]
    assert dict(options)["withdraw"] == "철회"  # not "철회 → 철회"


def test_similar_ideas_say_which_words_they_share(app, cohort):
    hints = signed_in(app, cohort.people["author"]).get(
        "/proposals/similar", query_string={"q": "빈집 리모델링 청년 셰어하우스"}).get_data(as_text=True)
    assert "빈집있는교?" in hints and "<mark>빈집있는교</mark>" in hints and "<mark>청년을</mark>" in hints


def test_every_page_names_its_icon(app, cohort):
    page = signed_in(app, cohort.people["author"]).get("/teams/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)[1]
    answer = app.test_client().get(icon)
    assert answer.status_code == 200 and b"<svg" in answer.get_data()
    answer.close()


def test_a_cohorts_year_chart_covers_its_own_programme_year(app, cohort):
    cohort.proposal(Stage.DEVELOPING, title="보고서 제안")
    report = text_of(signed_in(app, cohort.people["manager"]).get(f"/teams/{cohort.team.id}/report"))
    assert "2025. 2. 28." in report and "2025. 12. 31." in report  # 소소기획단 2기 is 2025's
    assert not re.search(r"2026\. \d+\. \d+\.(?! 기준)", report)  # no month of another year (the date printed aside)


def test_a_move_that_cannot_succeed_is_shown_disabled_with_the_reason(app, cohort):
    proposal = cohort.proposal(Stage.IN_REVIEW, title="검토 없는 제안", **READY)
    html = signed_in(app, cohort.people["manager"]).get(f"/proposals/{proposal.id}").get_data(as_text=True)
    shortlist = re.search(r'<button type="button" class="primary" disabled aria-describedby="unmet-shortlist">([^<]+)'
                          r'</button>\s*<p class="hint" id="unmet-shortlist">([^<]+)</p>', html)
    assert shortlist and "발표 후보" in shortlist[1], html[html.index("proposal-actions"):][:1500]
    assert "아직 할 수 없습니다:" in shortlist[2] and "검토" in shortlist[2]
    assert f'action="/proposals/{proposal.id}/move/shortlist"' not in html
    assert f'action="/proposals/{proposal.id}/move/request_changes"' in html  # what can be done stays a button

    cohort.review(proposal)
    html = signed_in(app, cohort.people["manager"]).get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'action="/proposals/{proposal.id}/move/shortlist"' in html and "unmet-shortlist" not in html


def test_a_mentor_who_approves_is_told_what_happens_next(app, cohort):
    proposal = cohort.proposal(Stage.IN_REVIEW, title="승인할 제안", **READY)
    mentor = signed_in(app, cohort.people["mentor"])
    form = mentor.get(f"/reviews/proposals/{proposal.id}").get_data(as_text=True)
    scores = {name: "4" for name in re.findall(r'name="(score_\d+)"', form)}
    page = text_of(mentor.post(f"/reviews/proposals/{proposal.id}", data={
        **scores, "recommendation": "approve", "comment": "좋습니다"}, follow_redirects=True))
    assert "검토를 저장했고 제안자에게 알렸습니다" in page
    assert "운영담당이 발표 후보를 정합니다" in page


def test_cohort_1s_imported_projects_keep_their_own_year(app, cohort):
    first = team_service.find_team("소소기획단 1기")
    manager = signed_in(app, cohort.people["manager"])
    follow_up = text_of(manager.get("/follow-up"))
    row = follow_up[follow_up.index("빈집있는교?"):][:120]
    # no follow-up recorded: "기록 없음", not 0 %; its date is its year's end, not the import day, so it is overdue
    assert "기록 없음" in row and "0%" not in row and "2024. 12. 31." in row and "갱신 지연" in row, row
    report = text_of(manager.get(f"/teams/{first.id}/report"))
    table = report[report.index("연중 단계별 제안 수"):]
    assert re.search(r"2024\. 12\. 31\. 0 0 0 0 0 4 0 0 0", table), table[:600]  # 4 selected by the year's end


def test_a_mentor_scores_with_the_proposal_in_view_and_sees_what_changed_since_round_1(app, cohort):
    proposal = cohort.proposal(Stage.IN_REVIEW, title="빈집 청년주택", summary="빈집을 청년 주택으로",
                               problem="빈집이 늘고 청년이 떠난다", proposal_text="빈집 10채를 고쳐 임대",
                               expected_effect="청년 유입", budget_krw=300_000_000)
    mentor = signed_in(app, cohort.people["mentor"])
    first = mentor.get(f"/reviews/proposals/{proposal.id}")
    page = text_of(first)
    for shown in ("빈집이 늘고 청년이 떠난다", "빈집 10채를 고쳐 임대", "청년 유입", "300,000,000원"):
        assert shown in page  # the proposal beside the rubric, not only a link to it
    assert "지난 검토 이후 바뀐 내용" not in page
    scores = {name: "4" for name in re.findall(r'name="(score_\d+)"', first.get_data(as_text=True))}
    mentor.post(f"/reviews/proposals/{proposal.id}", data={**scores, "recommendation": "revise",
                                                          "comment": "예산 근거를 보완하세요"})
    db.session.refresh(proposal)
    assert proposal.stage == Stage.DEVELOPING
    author = cohort.people["author"]
    draft = editing.draft_of(proposal)
    draft.problem = "빈집이 늘고 청년이 도시를 떠난다"
    editing.save(proposal, draft, base_version=proposal.version, actor=author)
    workflow.move(proposal, "submit", actor=author)
    db.session.commit()

    second = mentor.get(f"/reviews/proposals/{proposal.id}")
    html, page = second.get_data(as_text=True), text_of(second)
    assert "2회차 검토" in page and "1회차 검토 이후 바뀐 내용" in page
    changes = html[html.index('id="changes-heading"'):html.index("</section>", html.index('id="changes-heading"'))]
    assert "<ins>도시를 </ins>" in changes, changes
    assert "제안 내용" not in changes.split("</h3>", 1)[1]  # only the field that changed
    assert page.count("1회차 내 점수: 4") == len(scores) and "예산 근거를 보완하세요" in page


def test_a_manager_sets_the_words_similar_ideas_ignore_and_the_threshold(app, cohort):
    cohort.proposal(Stage.IDEA, title="청년 창업 지원 사업 추진")
    member = signed_in(app, cohort.people["author"])

    def hints(text):
        return text_of(member.get("/proposals/similar", query_string={"q": text}))

    # sharing only filler words (지원, 사업, 추진: ignored by default) is no likeness
    assert "청년 창업 지원 사업 추진" not in hints("관광 홍보 지원 사업 추진")
    manager = signed_in(app, cohort.people["manager"])
    page = text_of(manager.get("/settings/similar-ideas"))
    assert "유사 아이디어 설정" in page and "20" in page and "사업" in page
    assert member.get("/settings/similar-ideas").status_code == 403
    refused = text_of(manager.post("/settings/similar-ideas", data={"threshold": "95", "ignored_words": ""}))
    assert "5%에서 90%" in refused

    manager.post("/settings/similar-ideas", data={"threshold": "20", "ignored_words": "행정, 시책"})
    assert "청년 창업 지원 사업 추진" in hints("관광 홍보 지원 사업 추진")  # the words count again
    assert "빈집있는교?" in hints("빈집 리모델링 청년 셰어하우스")
    manager.post("/settings/similar-ideas", data={"threshold": "90", "ignored_words": "행정"})
    assert "빈집있는교?" not in hints("빈집 리모델링 청년 셰어하우스")  # only the closest at 90 %
    audit = text_of(manager.get("/accounts/audit?event=settings_changed"))
    assert audit.count("설정 변경") >= 2, audit[:800]


def test_the_authors_of_a_proposal_in_review_are_told_what_happens_next(app, cohort):
    proposal = cohort.proposal(Stage.IN_REVIEW, title="검토 중 제안", **READY)
    cohort.review(proposal)
    page = text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}"))
    assert "멘토 검토 1회차: 필요한 검토 1건 중 1건 완료." in page and "운영담당이 발표 후보를 정합니다" in page


def test_a_proposals_whole_journey_in_one_timeline_and_on_a_printable_record(app, cohort):
    manager = cohort.people["manager"]
    source = cohort.proposal(Stage.NOT_SELECTED, title="작년 아이디어")
    proposal = cohort.proposal(Stage.DEVELOPING, title="여정 제안", **READY)
    proposal.carried_over_from = source
    db.session.commit()
    workflow.move(proposal, "submit", actor=cohort.people["author"])
    db.session.commit()
    cohort.review(proposal)
    page = text_of(signed_in(app, manager).get(f"/proposals/{proposal.id}"))
    journey = page[page.index("전체 여정"):page.index("댓글")]
    assert f"소소기획단 2기 {source.id}번 제안에서 이어옴" in journey, journey
    assert "구체화 → 멘토 검토" in journey and "1회차 검토: 1건, 가중 평균" in journey
    assert journey.index("이어옴") < journey.index("구체화 → 멘토 검토") < journey.index("1회차 검토")
    other_member = signed_in(app, cohort.people["team_member"]).get(f"/proposals/{proposal.id}")
    assert other_member.status_code == 200  # a member of the team sees the journey but not the reviews
    assert "구체화 → 멘토 검토" in text_of(other_member) and "1회차 검토: 1건" not in text_of(other_member)
    workflow.move(proposal, "request_changes", actor=manager, note="예산 산출 근거를 보완해 주세요")
    db.session.commit()  # the note quotes the review: only those who read reviews read it in the journey
    assert "예산 산출 근거를 보완해 주세요" in text_of(signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}"))
    assert "예산 산출 근거를 보완해 주세요" not in text_of(
        signed_in(app, cohort.people["team_member"]).get(f"/proposals/{proposal.id}"))
    record = signed_in(app, manager).get(f"/proposals/{proposal.id}/record")
    text = text_of(record)
    assert record.status_code == 200 and "여정 제안" in text and "전체 여정" in text and "1회차 검토" in text
    assert "댓글" not in text.split("전체 여정")[1]  # the record: fields and journey, no discussion


def test_the_proposal_page_says_each_move_once_too(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="철회할 제안", **READY)
    html = signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert ">철회</button>" in html and "철회 → 철회" not in html
    assert "멘토 검토 요청 (제출) → 멘토 검토</button>" in html
