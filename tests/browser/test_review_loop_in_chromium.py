"""The review loop in Chromium: a mentor asks for changes, the author resubmits, round 2 appears."""
import pytest

from tests.browser.conftest import sign_in
from tests.functional.cohort import make_cohort
from tracker.extensions import db
from tracker.models import Stage
from tracker.services.proposals import editing

pytestmark = pytest.mark.browser
READY = dict(summary="구도심 빈집을 청년 창업공간으로", problem="빈집 증가", proposal_text="리모델링 후 임대",
             expected_effect="청년 창업 30곳")


def _tab(browser, live_server, user, **options):
    context = browser.new_context(**options)
    tab = context.new_page()
    sign_in(tab, live_server, user)
    return context, tab


def test_mentor_asks_for_changes_and_the_author_resubmits(browser, live_server, programme, make_account, screenshot):
    cohort = make_cohort(make_account)
    proposal = cohort.proposal(Stage.IN_REVIEW, title="빈집 창업공간", **READY)
    mentor_context, mentor = _tab(browser, live_server, cohort.people["mentor"], viewport={"width": 1280, "height": 900})
    author_context, author = _tab(browser, live_server, cohort.people["author"], viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    try:
        mentor.get_by_role("link", name="검토", exact=True).click()
        assert "검토를 기다리는 제안 1건" in mentor.locator("main").inner_text()
        screenshot(mentor, "review-queue-ko")
        mentor.get_by_role("link", name="빈집 창업공간").click()
        for group, score in zip(("창의성", "실현가능성", "시민 체감도", "경주 특화성", "경제성"), (5, 3, 4, 4, 2)):
            mentor.get_by_role("group", name=group).get_by_label(str(score), exact=True).check()
        mentor.get_by_label("보완 요청").check()
        mentor.get_by_label("제안자에게 남기는 의견").fill("예산 산출 근거를 보완해 주세요")
        screenshot(mentor, "review-form-ko")
        mentor.get_by_role("button", name="검토 저장").click()
        assert "검토를 저장했고 제안자에게 알렸습니다" in mentor.locator("main").inner_text()

        author.goto(live_server + "/notifications/")
        author.get_by_role("link", name="빈집 창업공간").click()
        reviews = author.locator("#reviews").inner_text()
        assert "1회차" in reviews and "예산 산출 근거를 보완해 주세요" in reviews and "보완 요청" in reviews
        screenshot(author, "review-seen-by-author-phone-ko")
        draft = editing.draft_of(proposal)
        draft.problem = "구도심 빈집 증가와 청년 유출"
        editing.save(proposal, draft, base_version=proposal.version, actor=cohort.people["author"])
        db.session.commit()
        author.reload()
        author.get_by_role("button", name="멘토 검토 요청 (제출) → 멘토 검토").click()
        assert "“멘토 검토” 단계로 옮겼습니다." in author.locator("main").inner_text()

        mentor.get_by_role("link", name="검토", exact=True).click()
        mentor.get_by_role("link", name="빈집 창업공간").click()
        main = mentor.locator("main").inner_text()
        assert "2회차 검토" in main and "1회차 내 점수: 5" in main and "예산 산출 근거를 보완해 주세요" in main
        # what the author changed: "빈집 증가" became "구도심 빈집 증가와 청년 유출"
        assert mentor.locator(".changes ins").all_inner_texts() == ["구도심 ", "증가와 청년 유출"]
        assert mentor.locator(".changes del").all_inner_texts() == ["증가"]
        text, sheet = (mentor.locator(sel).bounding_box() for sel in (".review-proposal", ".review-sheet"))
        assert text["x"] + text["width"] <= sheet["x"] and text["y"] < sheet["y"] + 200  # side by side at 1280
        screenshot(mentor, "review-round-2-ko")
        for group in ("창의성", "실현가능성", "시민 체감도", "경주 특화성", "경제성"):
            mentor.get_by_role("group", name=group).get_by_label("4", exact=True).check()
        mentor.get_by_label("승인").check()
        mentor.get_by_role("button", name="검토 저장").click()
        author.reload()
        reviews = author.locator("#reviews").inner_text()
        assert reviews.index("2회차 · 가중 평균 4.00") < reviews.index("1회차 · 가중 평균 3.60")
        screenshot(author, "review-rounds-phone-ko")
        assert author.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        mentor_context.close()
        author_context.close()
