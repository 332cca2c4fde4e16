"""Smaller rough edges of the second walk (issue 21): what each person now sees."""

from tests.conftest import PASSWORD
from tests.factories import csv_bytes
from tests.functional.cohort import signed_in
from tests.functional.test_proposal_work import edit_form
from tests.helpers import text_of
from tracker.extensions import db
from tracker.importers.people import import_people
from tracker.models import ProposalAuthor, Role, Stage


def test_building_on_its_own_number_says_so(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="자기 참조 제안")
    page = text_of(signed_in(app, cohort.people["author"]).post(
        f"/proposals/{proposal.id}/edit", data=edit_form(proposal, proposal.version, builds_on_id=proposal.id)))
    assert f"{proposal.id}번은 이 제안 자신입니다" in page and "볼 수 있는 제안 중에" not in page


def test_the_people_import_names_every_role_it_knows(app, cohort):
    report = import_people(csv_bytes([["이름", "직원번호", "역할"], ["홍길동", "H-1", "담당관"]]), "people.csv",
                           actor=cohort.people["manager"], address="test")
    [error] = report.errors
    assert "부서 담당자" in error.message and "단원" in error.message and "관리자" in error.message


def test_the_audit_log_says_why_a_sign_in_failed_in_words(app, cohort, make_account):
    gone = make_account(Role.MEMBER, name="퇴직자", active=False)
    refused = app.test_client().post("/auth/login", data={"identifier": gone.staff_id, "password": "틀린 비밀번호"})
    assert refused.status_code == 200
    log = text_of(signed_in(app, cohort.people["manager"]).get("/accounts/audit?event=login_failed"))
    assert "사유: 비밀번호 틀림" in log and "reason" not in log and "wrong_password" not in log


def test_deactivated_people_are_not_offered_as_co_authors_and_are_marked_where_listed(app, cohort):
    proposal = cohort.proposal(Stage.DEVELOPING, title="공동 제안")
    left = cohort.people["sub_member"]
    proposal.authors.append(ProposalAuthor(user=left, position=1))
    quitter = cohort.people["team_member"]
    left.is_active = quitter.is_active = False
    db.session.commit()
    form = signed_in(app, cohort.people["author"]).get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert f"{left.name} (사용 중지)" in form  # already a co-author: kept, and marked
    assert f">{quitter.name}<" not in form and f"{quitter.name} (사용 중지)" not in form  # not offered
    team = text_of(signed_in(app, cohort.people["manager"]).get(f"/teams/{cohort.team.id}"))
    assert f"{quitter.name} 사용 중지" in team


def test_a_deactivated_person_is_told_so_only_after_the_right_password(app, cohort, make_account):
    gone = make_account(Role.MEMBER, name="퇴직자2", active=False)
    wrong = text_of(app.test_client().post("/auth/login", data={"identifier": gone.staff_id, "password": "x" * 12}))
    right = text_of(app.test_client().post("/auth/login", data={"identifier": gone.staff_id, "password": PASSWORD}))
    assert "중지된 계정" not in wrong and "중지된 계정입니다" in right, (wrong, right)
