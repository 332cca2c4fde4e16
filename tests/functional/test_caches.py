"""The caches read from proposals follow every write: the stamp moves with each change of a proposal
or of its stage (flushes and the importer's bulk insert alike), and a value cached at an older stamp
is built again."""
import pytest
import sqlalchemy as sa

from tests.functional.cohort import make_cohort, signed_in
from tracker import permissions
from tracker.extensions import db
from tracker.models import Comment, Proposal, Stage, TeamStatus
from tracker.services import proposals as proposal_service
from tracker.services import archive, board, mentoring, similar, stamps, workflow
from tracker.services.text_match import contains


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)


def test_the_stamp_moves_with_proposal_writes_only(app, cohort):
    before = stamps.current()
    assert before is not None  # the programme's import wrote proposals
    proposal = cohort.proposal(Stage.IDEA, title="드론 배송")
    created = stamps.current()
    assert created > before
    db.session.add(Comment(proposal=proposal, author=cohort.people["author"], body="좋아요"))
    db.session.commit()
    assert stamps.current() == created
    workflow.move(proposal, "develop", actor=cohort.people["author"])
    db.session.commit()
    moved = stamps.current()
    assert moved > created
    proposal.summary = "하늘길 배송"
    db.session.commit()
    assert stamps.current() > moved


def hint_titles(client, text: str) -> str:
    return client.get("/proposals/similar", query_string={"q": text}).get_data(as_text=True)


def test_similar_ideas_follow_edits_and_imports(app, cohort):
    member = signed_in(app, cohort.people["author"])
    proposal = cohort.proposal(Stage.IDEA, title="청년 빈집 활용")
    assert "청년 빈집 활용" not in hint_titles(member, "드론 택배 시범")  # the index is built here
    proposal.title = "드론 택배 시범"
    db.session.commit()
    assert "드론 택배 시범" in hint_titles(member, "드론 택배 시범")
    assert "드론 택배 시범" not in hint_titles(member, "빈집 활용 청년")
    proposal_service.create_imported(cohort.team, [proposal_service.NewImported(
        source_key="k-1", fields={"title": "야간 드론 쇼", "summary": None}, stage=Stage.IDEA,
        subcommittee=cohort.youth, author_names=["김민지"])])
    db.session.commit()
    assert "야간 드론 쇼" in hint_titles(member, "야간 드론 쇼")


def _scanned(text: str, viewer, exclude_id=None, limit=5):
    """The lookup as a scan of every title and summary (LIKE), to check the index against."""
    query_grams = similar.grams(text)[:similar.MAX_GRAMS]
    haystack = Proposal.title + " " + sa.func.coalesce(Proposal.summary, "")
    hits = sum((sa.case((contains(haystack, g), 1), else_=0) for g in query_grams), sa.literal(0))
    conditions = [permissions.visible_proposals(viewer), hits >= similar._needed(len(query_grams))]
    if exclude_id is not None:
        conditions.append(Proposal.id != exclude_id)
    return [(r.id, r.hits) for r in db.session.execute(
        sa.select(Proposal.id, hits.label("hits")).where(*conditions)
        .order_by(sa.desc("hits"), Proposal.id.desc()).limit(limit))]


@pytest.mark.parametrize("text", ["빈집을 고쳐 청년에게", "빈집", "집", "Drone 배송 app", "청년 창업 공간 시범 사업",
                                  "Smart farm", "황리단길 야간 관광 활성화"])
def test_the_gram_index_finds_what_a_scan_finds(app, cohort, text):
    for n, (title, summary) in enumerate([("Drone 배송 서비스", "APP으로 부르는 드론"), ("빈집있는 청년 주택", None),
                                          ("SMART FARM 청년", "스마트팜 창업"), ("야간 관광 황리단길", "집 앞 관광")]):
        cohort.proposal(Stage.IDEA, title=title, summary=summary, source_key=f"s-{n}")
    for who in ("author", "outsider", "mentor", "manager"):
        viewer = cohort.people[who]
        found = [(s.id, round(s.cover * len(similar.grams(text)[:similar.MAX_GRAMS]))) for s in
                 similar.similar_ideas(text, viewer)]
        assert found == _scanned(text, viewer)
        if found:
            assert [s.id for s in similar.similar_ideas(text, viewer, exclude_id=found[0][0])] == \
                [i for i, _n in _scanned(text, viewer, exclude_id=found[0][0])]


def test_the_overview_and_the_timeline_follow_a_move(app, cohort):
    manager, mentor = cohort.people["manager"], cohort.people["mentor"]
    proposal = cohort.proposal(Stage.IDEA, title="드론 배송")
    days = board.month_ends(cohort.team)

    def reached(viewer):
        return next(o for o in board.overview(viewer) if o.team.id == cohort.team.id).reached

    def now_in(stage):
        return board.stage_timeline(cohort.team, manager, days)[-1].counts.get(stage, 0)

    before, before_timeline = reached(manager), board.stage_timeline(cohort.team, manager, days)
    assert board.stage_timeline(cohort.team, manager, days) is before_timeline  # kept while nothing is written
    assert reached(mentor) == before  # the mentor sees the same proposals of this team, without the cache
    developing = now_in(Stage.DEVELOPING)
    workflow.move(proposal, "develop", actor=cohort.people["author"])
    db.session.commit()
    after = reached(manager)
    assert after[Stage.DEVELOPING] == before[Stage.DEVELOPING] + 1
    assert after == reached(mentor)
    assert now_in(Stage.DEVELOPING) == developing + 1
    titles = [o.title for o in next(o for o in board.overview(manager) if o.team.id == cohort.team.id).selected]
    assert "드론 배송" not in titles


def test_a_mentors_queue_and_load_follow_a_review(app, cohort):
    mentor = cohort.people["mentor"]
    proposal = cohort.proposal(Stage.IN_REVIEW, title="드론 배송")
    waiting, done, total = mentoring.review_queue(mentor)
    assert [q.proposal.id for q in waiting] == [proposal.id] and done == [] and total == 1
    assert mentoring.review_queue(mentor)[2] == 1  # read again from what was kept
    load = {m.mentor.id: m.waiting for m in mentoring.mentor_loads(cohort.team)}
    assert load[mentor.id] == 1
    cohort.review(proposal)
    waiting, done, total = mentoring.review_queue(mentor)
    assert waiting == [] and [q.proposal.id for q in done] == [proposal.id] and total == 0
    assert {m.mentor.id: m.waiting for m in mentoring.mentor_loads(cohort.team)}[mentor.id] == 0
    proposal.title = "드론 택배"
    db.session.commit()
    assert mentoring.review_queue(mentor)[1][0].proposal.title == "드론 택배"


def test_a_search_count_follows_new_proposals_and_archived_teams(app, cohort):
    outsider = cohort.people["outsider"]  # sees archived teams only
    manager = cohort.people["manager"]

    def count(viewer, text="드론"):
        return archive.proposal_list(archive.ProposalFilter(text=text), 1, 20, viewer).total

    assert count(manager) == 0 and count(outsider) == 0
    cohort.proposal(Stage.IDEA, title="드론 배송")
    assert count(manager) == 1 and count(outsider) == 0
    assert count(manager, "드론 배송") == 1 and count(manager, "배송 드론 택배") == 0
    cohort.team.status = TeamStatus.ARCHIVED
    db.session.commit()
    assert count(outsider) == 1
    page = archive.proposal_list(archive.ProposalFilter(text="드론"), 5, 20, outsider)
    assert (page.total, page.page, [p.title for p in page.items]) == (1, 1, ["드론 배송"])


def test_a_review_moves_the_reviews_stamp(app, cohort):
    proposal = cohort.proposal(Stage.IN_REVIEW, title="드론 배송")
    proposals_before, reviews_before = stamps.current(), stamps.current(stamps.REVIEWS)
    cohort.review(proposal)
    assert stamps.current(stamps.REVIEWS) != reviews_before
    assert stamps.current() == proposals_before  # the gram index and the search counts stay


def test_a_kept_export_follows_titles_visibility_and_author_names(app, cohort):
    manager, outsider = signed_in(app, cohort.people["manager"]), signed_in(app, cohort.people["outsider"])
    url = f"/teams/{cohort.team.id}/board.csv"
    proposal = cohort.proposal(Stage.IDEA, title="드론 배송")

    def csv_of(client, address=url):
        response = client.get(address)
        assert response.status_code == 200
        return response.data.decode("utf-8-sig")

    assert "드론 배송" in csv_of(manager) and "드론 배송" in csv_of(manager)  # written, then kept
    assert "드론 배송" not in csv_of(outsider, "/proposals/export.csv")  # another viewer, another file
    proposal.title = "드론 택배"
    db.session.commit()
    assert "드론 택배" in csv_of(manager) and "드론 배송" not in csv_of(manager)
    cohort.people["author"].name = "김민지2"
    db.session.commit()
    assert "김민지2" in csv_of(manager)
    cohort.team.status = TeamStatus.ARCHIVED
    db.session.commit()
    assert "드론 택배" in csv_of(outsider, "/proposals/export.csv")


def test_nothing_is_kept_from_a_transaction_that_wrote_and_rolled_back(app, cohort):
    manager = cohort.people["manager"]

    def titles(text):
        return [s.title for s in similar.similar_ideas(text, manager)]

    cohort.proposal(Stage.IDEA, title="드론 배송")
    proposal = cohort.proposal(Stage.IDEA, title="청년 주택")
    proposal.title = "야간 불꽃 쇼"
    db.session.flush()  # the stamp moves in this transaction, which is then rolled back
    assert "야간 불꽃 쇼" in titles("야간 불꽃 쇼")
    db.session.rollback()
    cohort.proposal(Stage.IDEA, title="공유 주차장")  # the next write moves the stamp as the rolled-back one did
    assert "야간 불꽃 쇼" not in titles("야간 불꽃 쇼") and "청년 주택" in titles("청년 주택")


def test_the_managers_review_overview_follows_a_review_and_a_submission(app, cohort):
    manager = cohort.people["manager"]
    first = cohort.proposal(Stage.IN_REVIEW, title="드론 배송")

    def waiting():
        items, total = mentoring.all_waiting(manager)
        return [(q.proposal.title, q.reviews_done) for q in items], total

    assert waiting() == ([("드론 배송", 0)], 1)
    cohort.review(first)
    assert waiting() == ([("드론 배송", 1)], 1)
    cohort.proposal(Stage.IN_REVIEW, title="야간 관광")
    assert waiting()[1] == 2


def test_the_gram_index_is_brought_up_to_date_not_read_again(app, cohort, monkeypatch):
    manager = cohort.people["manager"]
    first = cohort.proposal(Stage.IDEA, title="드론 배송", summary="하늘길 택배")
    second = cohort.proposal(Stage.IDEA, title="야간 관광 황리단길")
    assert [s.title for s in similar.similar_ideas("드론 배송", manager)] == ["드론 배송"]  # built here
    built = []
    monkeypatch.setattr(similar, "_build_gram_index", lambda: built.append(1))
    first.title, first.summary = "청년 주택", None
    workflow.move(second, "develop", actor=cohort.people["author"])
    db.session.commit()
    cohort.proposal(Stage.IDEA, title="드론 쇼 축제")
    for text in ("드론 배송", "하늘길 택배", "청년 주택", "야간 관광", "드론 쇼"):
        found = [(s.id, round(s.cover * len(similar.grams(text)))) for s in similar.similar_ideas(text, manager)]
        assert found == _scanned(text, manager), text
    assert built == []


def test_similar_ideas_past_many_the_viewer_may_not_see(app, cohort):
    mentor = cohort.people["mentor"]  # sees the youth subcommittee of this active team, not culture
    for n in range(3):
        cohort.proposal(Stage.IDEA, title=f"드론 배송 시범 {n}", source_key=f"y-{n}")
    for n in range(40):
        db.session.add(Proposal(team=cohort.team, subcommittee=cohort.culture, title=f"드론 배송 문화 {n}",
                                source_key=f"c-{n}"))
    db.session.commit()
    found = [(s.id, round(s.cover * 2)) for s in similar.similar_ideas("드론 배송", mentor)]
    assert found == _scanned("드론 배송", mentor) and len(found) == 3
