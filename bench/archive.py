"""A synthetic archive for the benchmark: 20+ teams (cohorts) with the default subcommittees, a
manager, members and mentors, and N proposals with authors, 5+ stage changes each (spread over
the cohort's year), revisions, mentor reviews scored on the team's rubric, and comments.

Teams come from the app's own service (tracker.services.teams.create_team) and rubrics from
tracker.services.reviews.current_rubric; everything else is written in bulk with SQLAlchemy Core
(like tracker.services.proposals.create_imported), in batches, in one transaction.

    build_archive(proposals=10_000) -> Archive   (inside an app context, on an empty schema)
"""
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import (
    Comment, Membership, MentorAssignment, MentorKind, Proposal, ProposalAuthor, ProposalRevision,
    Recommendation, Review, ReviewScore, Role, Stage, StageChange, TeamStatus, User, UserRole, further,
)
from tracker.services import accounts, reviews, teams
from tracker.services.proposals import text_index

PASSWORD = "bench-password-1"
MANAGER_ID = "bench-manager"
MENTOR_ID = "bench-mentor"  # matched to every subcommittee of the benchmarked team
TEAMS = 20
MEMBERS_PER_SUBCOMMITTEE = 3
BATCH = 5_000

PLACES = ["황리단길", "보문관광단지", "안강읍", "건천읍", "외동읍", "감포항", "양남면", "불국사", "동궁과 월지",
          "성건동", "황성공원", "첨성대", "양동마을", "산내면"]
TOPICS = ["빈집 활용", "청년 창업 공간", "야간 관광", "스마트 축사", "로컬푸드 직판장", "어르신 돌봄",
          "공유 주차장", "전통시장 배달", "자전거 길", "탄소중립 캠페인", "한옥 체험", "농촌 일손 돕기",
          "반려동물 놀이터", "청년 주거", "관광 안내 앱"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민지", "서준", "도윤", "유진", "하늘", "지우", "현우", "서연", "예린", "준호", "수아", "태민"]
DEPARTMENTS = ["기획예산과", "관광정책과", "농업정책과", "일자리경제과", "도시재생과", "복지정책과", "문화예술과"]
COMMENTS = ["좋은 아이디어입니다. 예산 근거를 보완하면 좋겠습니다.", "타 시군 사례를 더 찾아보겠습니다.",
            "담당부서와 협의가 필요해 보입니다.", "현장 방문 결과를 첨부했습니다.", "주민 설문 결과 반영 바랍니다."]

# the path every proposal walks (5 changes), then optional steps beyond review
BASE_PATH = [(None, Stage.IDEA, "create"), (Stage.IDEA, Stage.DEVELOPING, "develop"),
             (Stage.DEVELOPING, Stage.IN_REVIEW, "submit"),
             (Stage.IN_REVIEW, Stage.DEVELOPING, "request_changes"),
             (Stage.DEVELOPING, Stage.IN_REVIEW, "submit")]
EXTRA = {
    Stage.IN_REVIEW: [(0.3, None), (0.15, (Stage.DEVELOPING, "request_changes")),
                      (0.05, (Stage.WITHDRAWN, "withdraw")), (0.5, (Stage.SHORTLISTED, "shortlist"))],
    Stage.SHORTLISTED: [(0.2, None), (0.8, (Stage.PRESENTED, "present"))],
    Stage.PRESENTED: [(0.1, None), (0.5, (Stage.NOT_SELECTED, "not_select")), (0.4, (Stage.SELECTED, "select"))],
    Stage.SELECTED: [(0.2, None), (0.8, (Stage.HANDED_OFF, "hand_off"))],
    Stage.HANDED_OFF: [(0.3, None), (0.5, (Stage.ADOPTED, "adopt")), (0.2, (Stage.DECLINED, "decline"))],
    Stage.ADOPTED: [(0.5, None), (0.5, (Stage.COMPLETED, "complete"))],
}


@dataclass
class Archive:
    proposals: int
    rows: int = 0  # every row written, all tables
    seconds: float = 0.0
    team_id: int = 0  # the benchmarked (newest, active) team
    proposal_id: int = 0  # a proposal of that team with a long history
    counts: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _furthest(path) -> Stage:
    reached = Stage.IDEA
    for _from, to, _action in path:
        reached = further(reached, Stage(to))
    return reached


def _insert(model, rows: list[dict], archive: Archive, *, returning=False) -> list[int]:
    """Bulk insert in batches; with returning, the new ids in the rows' order."""
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        if returning:
            ids.extend(db.session.scalars(
                sa.insert(model).returning(model.id, sort_by_parameter_order=True), chunk))
        else:
            db.session.execute(sa.insert(model), chunk)
    archive.rows += len(rows)
    archive.counts[model.__tablename__] = archive.counts.get(model.__tablename__, 0) + len(rows)
    return ids


def _stage_path(rng: random.Random) -> list[tuple]:
    path = list(BASE_PATH)
    while True:
        here = path[-1][1]
        options = EXTRA.get(here)
        if not options:
            return path
        pick, roll = None, rng.random()
        for weight, option in options:
            roll -= weight
            if roll <= 0:
                pick = option
                break
        if pick is None:
            return path
        path.append((here, pick[0], pick[1]))
        if pick[0] is Stage.DEVELOPING:  # sent back twice: it stays in development
            return path


def build_archive(proposals: int, *, seed: int = 11, team_count: int = TEAMS) -> Archive:
    """Write the archive into the current (empty) database and commit; returns what it wrote."""
    rng = random.Random(seed)
    archive = Archive(proposals)
    started = time.perf_counter()
    password_hash = accounts.hash_password(PASSWORD)
    now = datetime.now(timezone.utc)

    # teams through the service (default subcommittees), newest cohort active
    team_list = []
    for cohort in range(1, team_count + 1):
        year = now.year - team_count + cohort
        team_list.append(teams.create_team(
            "벤치기획단", cohort, year=year, kickoff_on=date(year, 2, 28), presentation_on=date(year, 10, 15),
            ends_on=date(year, 12, 20),
            status=TeamStatus.ACTIVE if cohort >= team_count - 1 else TeamStatus.ARCHIVED))
    rubrics = {t.id: reviews.current_rubric(t) for t in team_list}
    archive.rows += sum(1 + len(t.subcommittees) for t in team_list)
    archive.rows += sum(1 + len(r.criteria) for r in rubrics.values())

    # accounts: a manager, members per subcommittee, a mentor per subcommittee (+ one for all of
    # the benchmarked team's subcommittees, to sign in as)
    people = [{"name": "벤치 운영", "staff_id": MANAGER_ID, "role": Role.MANAGER}]
    people.append({"name": "벤치 멘토", "staff_id": MENTOR_ID, "role": Role.MENTOR})
    for team in team_list:
        for sub in team.subcommittees:
            for n in range(MEMBERS_PER_SUBCOMMITTEE):
                people.append({"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "role": Role.MEMBER,
                               "staff_id": f"b-{team.cohort}-{sub.id}-{n}", "team": team, "sub": sub})
            people.append({"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "role": Role.MENTOR,
                           "staff_id": f"b-{team.cohort}-{sub.id}-m", "team": team, "sub": sub})
    user_ids = _insert(User, [{"name": p["name"], "staff_id": p["staff_id"], "password_hash": password_hash,
                               "must_change_password": False, "is_active": True,
                               "department": rng.choice(DEPARTMENTS)} for p in people],
                       archive, returning=True)
    _insert(UserRole, [{"user_id": uid, "role": p["role"]} for uid, p in zip(user_ids, people)], archive)
    for uid, p in zip(user_ids, people):
        p["id"] = uid
    members = [p for p in people if p["role"] is Role.MEMBER]
    mentors = [p for p in people if p["role"] is Role.MENTOR and "sub" in p]
    _insert(Membership, [{"team_id": p["team"].id, "user_id": p["id"], "subcommittee_id": p["sub"].id,
                          "department": rng.choice(DEPARTMENTS)} for p in members], archive)
    bench_team = team_list[-1]
    assignments = [{"user_id": p["id"], "subcommittee_id": p["sub"].id, "kind": MentorKind.SENIOR_STAFF,
                    "organisation": "경주시청", "field": "정책기획"} for p in mentors]
    assignments += [{"user_id": user_ids[1], "subcommittee_id": s.id, "kind": MentorKind.EXTERNAL_EXPERT,
                     "organisation": "경주대학교", "field": "지역개발"} for s in bench_team.subcommittees]
    _insert(MentorAssignment, assignments, archive)
    by_sub_members = {}
    for p in members:
        by_sub_members.setdefault(p["sub"].id, []).append(p["id"])
    by_sub_mentor = {p["sub"].id: p["id"] for p in mentors}

    # proposals, round-robin over the teams
    plans = []
    for n in range(proposals):
        team = team_list[n % len(team_list)]
        sub = rng.choice(team.subcommittees)
        place, topic = rng.choice(PLACES), rng.choice(TOPICS)
        path = _stage_path(rng)
        moment = datetime(team.year, 3, 1, tzinfo=timezone.utc) + timedelta(days=rng.randint(0, 120))
        times = []
        for _step in path:
            moment += timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 1440))
            times.append(moment)
        plans.append({"team": team, "sub": sub, "path": path, "times": times,
                      "authors": rng.sample(by_sub_members[sub.id], rng.randint(1, 3)),
                      "title": f"{place} {topic} 시책 {n}", "place": place, "topic": topic})
    proposal_ids = _insert(Proposal, [{
        "team_id": p["team"].id, "subcommittee_id": p["sub"].id, "title": p["title"],
        "summary": f"{p['place']}에서 {p['topic']}을(를) 추진하는 아이디어",
        "problem": f"{p['place']}의 {p['topic']} 관련 현황과 문제점. " * 3,
        "proposal_text": f"{p['topic']}을(를) 위해 {p['place']}에 시범 사업을 제안합니다. " * 4,
        "expected_effect": "시민 만족도 향상, 지역 활성화", "beneficiaries": "시민, 관광객",
        "budget_krw": rng.randint(1, 500) * 1_000_000, "department": rng.choice(DEPARTMENTS),
        "stage": p["path"][-1][1], "furthest_stage": _furthest(p["path"]),
        "stage_entered_at": p["times"][-1], "created_on": p["times"][0].date(), "created_at": p["times"][0],
        "updated_at": p["times"][-1], "version": 2,
        "review_round": 3 if sum(1 for s in p["path"] if s[2] == "request_changes") > 1 else 2,
    } for p in plans], archive, returning=True)
    _insert(ProposalAuthor, [{"proposal_id": pid, "user_id": uid, "position": i}
                             for pid, p in zip(proposal_ids, plans) for i, uid in enumerate(p["authors"])],
            archive)
    _insert(StageChange, [{"proposal_id": pid, "from_stage": frm, "to_stage": to, "action": action,
                           "actor_id": p["authors"][0] if action in ("create", "develop", "submit") else user_ids[0],
                           "note": None, "created_at": at}
                          for pid, p in zip(proposal_ids, plans)
                          for (frm, to, action), at in zip(p["path"], p["times"])], archive)
    _insert(ProposalRevision, [{"proposal_id": pid, "actor_id": p["authors"][0], "source": "edit",
                                "changes": {"summary": [p["title"], f"{p['place']}에서 {p['topic']}을(를) 추진하는 아이디어"]},
                                "proposal_version": 2, "created_at": p["times"][1]}
                               for pid, p in zip(proposal_ids, plans)], archive)

    # reviews: round 1 "revise" for all, round 2 "approve" for those that went on, "revise" when sent back
    review_rows = []
    for pid, p in zip(proposal_ids, plans):
        actions = [s[2] for s in p["path"]]
        mentor = by_sub_mentor[p["sub"].id]
        rubric = rubrics[p["team"].id]
        review_rows.append({"proposal_id": pid, "mentor_id": mentor, "rubric_id": rubric.id, "round": 1,
                            "recommendation": Recommendation.REVISE, "comment": "근거 자료를 보완해 주세요.",
                            "submitted_at": p["times"][3], "created_at": p["times"][3]})
        if len(actions) > 5 and actions[5] in ("shortlist", "request_changes"):
            review_rows.append({"proposal_id": pid, "mentor_id": mentor, "rubric_id": rubric.id, "round": 2,
                                "recommendation": Recommendation.APPROVE if actions[5] == "shortlist"
                                else Recommendation.REVISE,
                                "comment": "발표 후보로 추천합니다.", "submitted_at": p["times"][5],
                                "created_at": p["times"][5]})
    review_ids = _insert(Review, review_rows, archive, returning=True)
    criteria_of = {r.id: [c.id for c in r.criteria] for r in rubrics.values()}
    _insert(ReviewScore, [{"review_id": rid, "criterion_id": cid, "score": rng.randint(1, 5)}
                          for rid, row in zip(review_ids, review_rows) for cid in criteria_of[row["rubric_id"]]],
            archive)
    _insert(Comment, [{"proposal_id": pid, "author_id": author, "body": rng.choice(COMMENTS),
                       "created_at": p["times"][i + 1]}
                      for pid, p in zip(proposal_ids, plans)
                      for i, author in enumerate((p["authors"][0], by_sub_mentor[p["sub"].id]))], archive)
    text_index.rebuild()  # written in bulk, past the proposal services: their text index at once
    db.session.commit()
    archive.seconds = time.perf_counter() - started
    archive.team_id = bench_team.id
    longest = max((i for i, p in enumerate(plans) if p["team"] is bench_team), key=lambda i: len(plans[i]["path"]))
    archive.proposal_id = proposal_ids[longest]
    return archive
