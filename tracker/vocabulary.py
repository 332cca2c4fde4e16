"""The programme's words in Korean and English, and how names written by people are matched.

Korean office documents write 청년‧인구 with U+2027, but also ·, ㆍ, ・, / or a plain space;
English names come with "and", "&" or neither. ``normalise_label`` folds all of these away.
"""
import functools
import re
import unicodedata
from dataclasses import dataclass

from tracker.models import ActivityKind, MentorKind, Recommendation, Role, Stage, TeamStatus

_SEPARATORS = re.compile(r"[\u2027\u00b7\u318d\u30fb\u2022\u22c5/&+,_\-\s]+")
_PUNCTUATION = re.compile(r"[^\w]+")
_ENGLISH_FILLERS = {"and", "the", "of"}


@functools.lru_cache(maxsize=4096)  # an import folds the same few stage and subcommittee names on every row
def normalise_label(text: str) -> str:
    """Fold a label for matching: width, case, separators, stray spaces and English fillers."""
    # Split first: NFKC would turn ㆍ (U+318D) into a combining jamo that is no longer a separator.
    words = [unicodedata.normalize("NFKC", w).casefold() for w in _SEPARATORS.split(text or "") if w]
    words = [_PUNCTUATION.sub("", w) for w in words if w not in _ENGLISH_FILLERS]
    return "".join(words)


@dataclass(frozen=True)
class DefaultSubcommittee:
    key: str
    name_ko: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def labels(self) -> tuple[str, ...]:
        return (self.key, self.name_ko, self.name_en, *self.aliases)


DEFAULT_SUBCOMMITTEES = (
    DefaultSubcommittee("youth_population", "청년\u2027인구", "Youth and population",
                        ("청년인구", "youth population")),
    DefaultSubcommittee("culture_tourism", "문화관광", "Culture and tourism",
                        ("문화 관광", "culture tourism")),
    DefaultSubcommittee("agriculture_livestock", "농\u2027축산", "Agriculture and livestock",
                        ("농축산", "agriculture livestock")),
    DefaultSubcommittee("local_economy", "지역경제 활성화", "Local economy",
                        ("지역경제", "local economy revitalisation", "local economy revitalization")),
)

# (Korean, English) for every stage, plus other ways people write them.
STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.IDEA: ("아이디어", "Idea"),
    Stage.DEVELOPING: ("구체화", "Developing"),
    Stage.IN_REVIEW: ("멘토 검토", "In review"),
    Stage.SHORTLISTED: ("발표 후보", "Shortlisted"),
    Stage.PRESENTED: ("발표 완료", "Presented"),
    Stage.SELECTED: ("최종 선정", "Selected"),
    Stage.NOT_SELECTED: ("미선정", "Not selected"),
    Stage.HANDED_OFF: ("부서 이관", "Handed off"),
    Stage.ADOPTED: ("정책 반영", "Adopted"),
    Stage.DECLINED: ("부서 불수용", "Declined"),
    Stage.COMPLETED: ("추진 완료", "Completed"),
    Stage.WITHDRAWN: ("철회", "Withdrawn"),
}
_STAGE_ALIASES: dict[Stage, tuple[str, ...]] = {
    Stage.IN_REVIEW: ("검토", "검토중", "멘토검토중", "review"),
    Stage.SHORTLISTED: ("발표후보선정", "shortlist"),
    Stage.SELECTED: ("선정",),
    Stage.HANDED_OFF: ("이관", "handoff"),
    Stage.ADOPTED: ("채택", "정책반영완료"),
    Stage.DECLINED: ("불수용",),
    Stage.COMPLETED: ("완료",),
}

_STAGE_INDEX = {
    normalise_label(label): stage
    for stage in Stage
    for label in (stage.value, *STAGE_LABELS[stage], *_STAGE_ALIASES.get(stage, ()))
}


def parse_stage(text: str) -> Stage | None:
    return _STAGE_INDEX.get(normalise_label(text))


TEAM_STATUS_LABELS = {TeamStatus.ACTIVE: ("운영 중", "Active"), TeamStatus.ARCHIVED: ("종료", "Archived")}
MENTOR_KIND_LABELS = {
    MentorKind.SENIOR_STAFF: ("선배 멘토", "Senior staff mentor"),
    MentorKind.EXTERNAL_EXPERT: ("외부 전문가", "External expert"),
}
RECOMMENDATION_LABELS = {
    Recommendation.APPROVE: ("승인", "Approve"),
    Recommendation.REVISE: ("보완 요청", "Revise"),
    Recommendation.REJECT: ("반려", "Reject"),
}
ROLE_LABELS = {
    Role.MEMBER: ("단원", "Member"),
    Role.MENTOR: ("멘토", "Mentor"),
    Role.MANAGER: ("운영 담당", "Manager"),
    Role.ADMIN: ("관리자", "Admin"),
    Role.LIAISON: ("부서 담당자", "Department liaison"),
}
ACTIVITY_KIND_LABELS = {
    ActivityKind.KICKOFF: ("발대식", "Kick-off"),
    ActivityKind.EXPERT_LECTURE: ("전문가 특강", "Expert lecture"),
    ActivityKind.BENCHMARKING: ("우수사례 벤치마킹", "Benchmarking visit"),
    ActivityKind.MENTORING: ("멘토링", "Mentoring session"),
    ActivityKind.SUBCOMMITTEE_MEETING: ("분과 회의", "Subcommittee meeting"),
    ActivityKind.PRESENTATION: ("발표회", "Presentation event"),
}

# (Korean, English) for the proposal fields, as edit histories show them.
FIELD_LABELS = {
    "title": ("제목", "Title"),
    "summary": ("요약", "Summary"),
    "problem": ("현황 및 문제점", "Current situation and problem"),
    "proposal_text": ("제안 내용", "Proposal"),
    "expected_effect": ("기대효과", "Expected effect"),
    "beneficiaries": ("대상", "Beneficiaries"),
    "budget_krw": ("예산", "Budget"),
    "department": ("담당부서", "Responsible department"),
    "notes": ("비고", "Notes"),
    "created_on": ("등록일", "Registered on"),
    "subcommittee": ("분과", "Subcommittee"),
    "authors": ("제안자", "Authors"),
    "distinct_from": ("채택·이관된 제안과 다른 점 확인 (비교한 제안 번호)", "Recorded as different from (proposal nos.)"),
    "references": ("벤치마킹 사례", "Benchmarked cases"),
    "builds_on": ("발전시킨 이전 제안 번호", "Builds on proposal no."),
}


def field_label(name: str, locale: str) -> str:
    ko, en = FIELD_LABELS.get(name, (name, name))
    return en if locale == "en" else ko


_LABELS = {
    Stage: STAGE_LABELS,
    TeamStatus: TEAM_STATUS_LABELS,
    MentorKind: MENTOR_KIND_LABELS,
    Recommendation: RECOMMENDATION_LABELS,
    ActivityKind: ACTIVITY_KIND_LABELS,
    Role: ROLE_LABELS,
}


def label(value, locale: str) -> str:
    """The Korean or English label of an enum member."""
    ko, en = _LABELS[type(value)][value]
    return en if locale == "en" else ko


def parse_label(enum_cls, text: str):
    """The member of ``enum_cls`` whose value, Korean or English label this is, else None."""
    wanted = normalise_label(text)
    for member, names in _LABELS[enum_cls].items():
        if wanted in {normalise_label(n) for n in (member.value, *names)}:
            return member
    return None


# The columns of an ideas file, in Korean first (what exports write), then the other names an
# import accepts for them.
IDEA_HEADERS: dict[str, tuple[str, ...]] = {
    "source_key": ("관리번호", "source_key", "id", "key"),
    "team": ("기수", "team", "팀", "기획단", "cohort"),
    "subcommittee": ("분과", "subcommittee"),
    "title": ("제목", "title", "사업명", "제안명"),
    "summary": ("요약", "summary", "한줄요약", "개요"),
    "problem": ("현황", "problem", "현황·문제점", "문제점"),
    "proposal_text": ("제안내용", "proposal", "제안", "proposal_text"),
    "expected_effect": ("기대효과", "expected_effect", "effect"),
    "beneficiaries": ("대상", "beneficiaries", "수혜대상"),
    "budget_krw": ("예산", "budget", "소요예산", "예산(원)", "budget_krw"),
    "department": ("담당부서", "department", "부서"),
    "stage": ("단계", "stage", "진행단계", "상태"),
    "authors": ("제안자", "authors", "author", "작성자"),
    "notes": ("비고", "notes", "note", "메모"),
    "created_on": ("등록일", "created_on", "date", "제안일"),
}
