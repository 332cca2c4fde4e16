"""The permission predicates as a table, without HTTP: every rule × every kind of person.

One small world is built once for the module (its tests only read it). The HTTP route matrix in
tests/security/test_access_matrix.py checks that the views ask these predicates."""
import pytest
import sqlalchemy as sa

from tests.unit.world import MANAGERS, PEOPLE, World, build_world
from tracker import permissions
from tracker.extensions import db
from tracker.models import Proposal, Team

pytestmark = pytest.mark.shared_data

@pytest.fixture(scope="module")
def world(module_ctx) -> World:
    return build_world()


COHORT_2 = {"author", "sub_member", "team_member"}
YOUTH = {"author", "sub_member"}
SEES_COHORT_2 = COHORT_2 | {"mentor", "other_mentor"} | MANAGERS
EVERYONE_SIGNED_IN = set(PEOPLE) - {"inactive"}

# (predicate, object, who may): each line one rule of the table in tracker/permissions.py
RULES = [
    ("can_view_team", "cohort 2", SEES_COHORT_2),
    ("can_view_team", "cohort 3", {"outsider"} | MANAGERS),
    ("can_view_team", "cohort 1", EVERYONE_SIGNED_IN),
    ("can_view_proposal", "idea", COHORT_2 | {"mentor"} | MANAGERS),
    ("can_view_proposal", "handed off", COHORT_2 | {"mentor", "liaison"} | MANAGERS),
    ("can_view_proposal", "cohort 3 idea", {"outsider"} | MANAGERS),
    ("can_view_proposal", "cohort 1 project", EVERYONE_SIGNED_IN),
    ("can_log_idea", "cohort 2", COHORT_2 | MANAGERS),
    ("can_log_idea", "cohort 1", MANAGERS),
    ("can_edit_proposal", "idea", YOUTH | MANAGERS),
    ("can_edit_proposal", "in review", MANAGERS),
    ("can_comment", "idea", COHORT_2 | {"mentor"} | MANAGERS),
    ("can_review", "in review", {"mentor"}),
    ("can_review", "idea", set()),
    ("can_view_reviews", "in review", YOUTH | {"mentor"} | MANAGERS),
    ("can_carry_over", "idea", MANAGERS),  # members only into another cohort of their own, and none has one
    ("can_record_mentoring", "cohort 2", {"mentor", "other_mentor"} | MANAGERS),
    ("can_manage_event", "cohort 2", MANAGERS),
    ("can_judge", "event", {"judge"}),
    ("can_update_follow_up", "handoff", {"liaison"} | MANAGERS),
]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("rule", "thing", "who"), RULES, ids=[f"{r} {t}" for r, t, _ in RULES])
def test_rule(world, rule, thing, who, person):
    allowed = getattr(permissions, rule)(world.people[person], world.objects[thing])
    assert allowed == (person in who)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("rule", "who"), [
    ("can_manage_accounts", MANAGERS),
    ("can_manage_mentors", MANAGERS),
    ("can_view_follow_up", MANAGERS | {"liaison"}),
    ("is_mentor", {"mentor", "other_mentor"}),
])
def test_rule_about_the_person(world, rule, who, person):
    assert getattr(permissions, rule)(world.people[person]) == (person in who)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_an_admin_manages_an_admin(world, person):
    admin, member = world.people["admin"], world.people["author"]
    assert permissions.can_manage_account(world.people[person], admin) == (person == "admin")
    assert permissions.can_manage_account(world.people[person], member) == (person in MANAGERS)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_sql_twins_list_what_the_predicates_allow(world, person):
    user = world.people[person]
    every_proposal = db.session.scalars(sa.select(Proposal)).all()
    listed = set(db.session.scalars(sa.select(Proposal.id).where(permissions.visible_proposals(user))))
    assert listed == {p.id for p in every_proposal if permissions.can_view_proposal(user, p)}
    teams = db.session.scalars(sa.select(Team)).all()
    listed_teams = set(db.session.scalars(sa.select(Team.id).where(permissions.visible_teams(user))))
    assert listed_teams == {t.id for t in teams if permissions.can_view_team(user, t)}
    for_ideas = set(db.session.scalars(sa.select(Team.id).where(permissions.teams_for_new_ideas(user))))
    assert for_ideas == {t.id for t in teams if permissions.can_log_idea(user, t)}
