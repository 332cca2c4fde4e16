import pytest

from tracker.models import Stage
from tracker.services.teams import SubcommitteeMatcher, parse_team_label
from tracker.vocabulary import normalise_label, parse_stage

SEPARATOR_VARIANTS = ["청년\u2027인구", "청년·인구", "청년ㆍ인구", "청년・인구", "청년/인구", "청년 인구",
                      " 청년 ‧ 인구 ", "청년인구"]


@pytest.mark.parametrize("written", SEPARATOR_VARIANTS)
def test_separator_variants_fold_to_one_label(written):
    assert normalise_label(written) == normalise_label("청년\u2027인구")


@pytest.mark.parametrize("written, key", [
    ("농·축산", "agriculture_livestock"),
    ("농ㆍ축산", "agriculture_livestock"),
    ("Agriculture and livestock", "agriculture_livestock"),
    ("agriculture & livestock", "agriculture_livestock"),
    ("문화관광", "culture_tourism"),
    ("Culture and Tourism", "culture_tourism"),
    ("지역경제 활성화", "local_economy"),
    ("지역경제", "local_economy"),
    ("Local economy", "local_economy"),
    ("YOUTH AND POPULATION", "youth_population"),
])
def test_default_subcommittees_match_korean_and_english(written, key):
    matched = SubcommitteeMatcher.for_new_team().match(written)
    assert matched is not None and matched.key == key


def test_unknown_subcommittee_does_not_match():
    assert SubcommitteeMatcher.for_new_team().match("관광경제") is None


@pytest.mark.parametrize("written, stage", [
    ("최종 선정", Stage.SELECTED),
    ("최종선정", Stage.SELECTED),
    ("selected", Stage.SELECTED),
    ("Not selected", Stage.NOT_SELECTED),
    ("not_selected", Stage.NOT_SELECTED),
    ("미선정", Stage.NOT_SELECTED),
    ("멘토 검토", Stage.IN_REVIEW),
    ("in review", Stage.IN_REVIEW),
    ("IN-REVIEW", Stage.IN_REVIEW),
    ("아이디어", Stage.IDEA),
    ("부서 이관", Stage.HANDED_OFF),
    ("정책 반영", Stage.ADOPTED),
    ("철회", Stage.WITHDRAWN),
])
def test_stage_names_in_korean_and_english(written, stage):
    assert parse_stage(written) is stage


def test_unknown_stage_is_none():
    assert parse_stage("보류") is None


@pytest.mark.parametrize("label, expected", [
    ("소소기획단 2기", ("소소기획단", 2)),
    ("소소기획단2기", ("소소기획단", 2)),
    ("2기", (None, 2)),
    ("cohort 3", (None, 3)),
    ("기획단", (None, None)),
])
def test_team_labels(label, expected):
    assert parse_team_label(label) == expected
