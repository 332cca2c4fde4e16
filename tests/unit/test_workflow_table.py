"""The workflow table as a spec, without HTTP: for every stage and every relation to the proposal,
the moves that person is offered; and what each guard asks for.

The expected moves are written out here from DESIGN.md's table, not read from ``workflow.MOVES``."""
import pytest

from tests.unit.world import PEOPLE, World, build_world
from tracker.extensions import db
from tracker.models import Stage
from tracker.services import workflow
from tracker.services.errors import NotAllowed, ValidationFailed

pytestmark = pytest.mark.shared_data

AUTHOR, SUB, MENTOR, MANAGERS, LIAISON = {"author"}, {"sub_member"}, {"mentor"}, {"manager", "admin"}, {"liaison"}

# stage -> {action: who may}; DESIGN.md "Stages of a proposal"
OFFERED = {
    Stage.IDEA: {"develop": AUTHOR | SUB | MANAGERS, "withdraw": AUTHOR | MANAGERS},
    Stage.DEVELOPING: {"submit": AUTHOR | MANAGERS, "withdraw": AUTHOR | MANAGERS},
    Stage.IN_REVIEW: {"request_changes": MENTOR | MANAGERS, "shortlist": MANAGERS, "withdraw": AUTHOR | MANAGERS},
    Stage.SHORTLISTED: {"present": MANAGERS, "withdraw": AUTHOR | MANAGERS},
    Stage.PRESENTED: {"select": MANAGERS, "not_select": MANAGERS},
    Stage.SELECTED: {"hand_off": MANAGERS},
    Stage.HANDED_OFF: {"adopt": MANAGERS | LIAISON, "decline": MANAGERS | LIAISON},
    Stage.ADOPTED: {"complete": MANAGERS | LIAISON},
    Stage.COMPLETED: {},
    Stage.DECLINED: {},
    Stage.NOT_SELECTED: {"reopen": MANAGERS},
    Stage.WITHDRAWN: {"reopen": MANAGERS},
}


@pytest.fixture(scope="module")
def world(module_ctx) -> World:
    return build_world()


@pytest.fixture
def proposal(world):
    """Cohort 2's 청년‧인구 proposal handed to the liaison (so every relation holds at every stage);
    each test puts it in a stage and the change is rolled back after."""
    yield world.objects["handed off"]
    db.session.rollback()


def test_the_table_covers_every_stage():
    assert set(OFFERED) == set(Stage)
    assert {action for moves in OFFERED.values() for action in moves} == set(workflow.MOVES_BY_ACTION)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("stage", list(Stage))
def test_moves_offered(world, proposal, stage, person):
    proposal.stage = stage
    offered = {move.action for move in workflow.allowed_moves(world.people[person], proposal)}
    assert offered == {action for action, who in OFFERED[stage].items() if person in who}


@pytest.mark.parametrize("person", ["team_member", "other_mentor", "outsider", "inactive", "judge"])
def test_a_move_not_offered_is_refused(world, proposal, person):
    proposal.stage = Stage.IDEA
    with pytest.raises(NotAllowed):
        workflow.move(proposal, "develop", actor=world.people[person])


@pytest.mark.parametrize(("stage", "action", "fields", "says"), [
    (Stage.DEVELOPING, "submit", {"expected_effect": ""}, "기대효과를 입력해야 제출할 수 있습니다."),
    (Stage.IN_REVIEW, "shortlist", {}, "이번 회차 멘토 검토가 1건 있어야 발표 후보로 올릴 수 있습니다 (지금 0건)."),
    (Stage.SHORTLISTED, "present", {}, "발표회 날짜(–) 이후에만 발표 완료로 바꿀 수 있습니다."),
    (Stage.PRESENTED, "select", {}, "심사위원 점수가 기록되어야(심사 마감) 선정 여부를 정할 수 있습니다."),
    (Stage.SELECTED, "hand_off", {"department": " "}, "담당부서를 입력해야 부서로 이관할 수 있습니다."),
    (Stage.HANDED_OFF, "adopt", {}, "이 단계 변경에는 사유를 적은 메모가 필요합니다."),
])
def test_a_guard_says_what_is_missing(world, proposal, stage, action, fields, says):
    proposal.stage = stage
    proposal.team.presentation_on = None
    for name, value in {"summary": "요약", "problem": "문제", "proposal_text": "제안", "expected_effect": "효과",
                        **fields}.items():
        setattr(proposal, name, value)
    with pytest.raises(ValidationFailed) as refused:
        workflow.move(proposal, action, actor=world.people["manager"])
    assert says in [str(message) for _field, message in refused.value.reasons]
