"""`flask tracker backup` and `restore` as an administrator runs them: a backup restored into a new,
empty database holds the same rows, table by table."""
import gzip
import json
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from tests.functional.cohort import make_cohort
from tests.helpers import table_rows
from tracker import create_app
from tracker.extensions import db
from tracker.models import (
    Activity, ActivityKind, Proposal, ProposalAuthor, ProposalRevision, Recommendation, Review, Role,
    Stage, User,
)
from tracker.services import audit, reviews


@pytest.fixture
def archive(programme, make_account):
    """Rows of every kind: dates, aware datetimes, enums, JSON, link tables and a proposal that
    builds on a newer one."""
    cohort = make_cohort(make_account)
    older = cohort.proposal(Stage.IN_REVIEW, title="청년 빈집 활용", created_on=date(2025, 5, 2),
                            budget_krw=25_000_000)
    newer = cohort.proposal(Stage.DEVELOPING, title="빈집 지도 2.0")
    older.builds_on = newer
    older.carried_over_from = newer
    db.session.add(ProposalRevision(proposal=newer, actor=cohort.people["author"], source="edit",
                                    changes={"title": ["빈집 지도", "빈집 지도 2.0"], "budget_krw": [None, 10]},
                                    proposal_version=2))
    db.session.add(Review(proposal=older, mentor=cohort.people["mentor"],
                          rubric=reviews.current_rubric(cohort.team), recommendation=Recommendation.REVISE,
                          comment="예산 근거 보완", submitted_at=datetime(2025, 6, 1, 5, 30, tzinfo=timezone.utc)))
    db.session.add(Activity(team=cohort.team, kind=ActivityKind.EXPERT_LECTURE, title="빈집 재생 특강",
                            starts_at=datetime(2025, 5, 14, 5, 0, tzinfo=timezone.utc),
                            subcommittees=[cohort.youth], proposals=[older],
                            attendees=[cohort.people["author"], cohort.people["mentor"]]))
    audit.record("test.backup", actor=cohort.people["manager"], detail={"참고": ["가", 1, None]})
    db.session.commit()
    return cohort


@pytest.fixture
def fresh_app(empty_database_url):
    """A second app on a new database with the suite's schema and no rows."""
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url,
                        "SECRET_KEY": "fresh"})
    with fresh.app_context():
        db.create_all()
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def run_in(app, *args):
    """`flask tracker ...` against ``app`` (the CLI otherwise picks up the test's app context)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["tracker", *args])


def engine_of(app):
    with app.app_context():
        return db.engine


def test_backup_restored_into_an_empty_database_gives_every_row_back(
        archive, app, runner, fresh_app, tmp_path):
    path = tmp_path / "tracker-backup.json.gz"
    result = runner.invoke(args=["tracker", "backup", str(path), "--with-passwords"])
    assert result.exit_code == 0, result.output
    assert "백업했습니다" in result.output

    result = run_in(fresh_app, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert "복원했습니다" in result.output

    original, restored = table_rows(engine_of(app)), table_rows(engine_of(fresh_app))
    assert set(restored) == {t.name for t in db.metadata.sorted_tables}
    # the text index is not in the file: it is made again from the restored proposals
    assert restored["proposal_gram"] and restored["proposal_text"]
    for name, rows in original.items():
        assert restored[name] == rows, name
    assert len(restored["proposal"]) == 6 and len(restored["activity_attendee"]) == 2
    with fresh_app.app_context():
        older = db.session.scalars(sa.select(Proposal).filter_by(title="청년 빈집 활용")).one()
        assert older.builds_on.title == "빈집 지도 2.0"
        assert older.created_on == date(2025, 5, 2) and older.stage is Stage.IN_REVIEW
        review = db.session.scalars(sa.select(Review)).one()
        assert review.submitted_at == datetime(2025, 6, 1, 5, 30, tzinfo=timezone.utc)
        assert review.recommendation is Recommendation.REVISE


def test_new_rows_after_a_restore_get_fresh_ids(archive, runner, fresh_app, tmp_path):
    path = tmp_path / "backup.json"
    runner.invoke(args=["tracker", "backup", str(path)])
    assert run_in(fresh_app, "restore", str(path)).exit_code == 0
    team_id = archive.team.id  # read here: inside fresh_app's context the suite's session reads fresh_app's database
    with fresh_app.app_context():
        highest = db.session.scalar(sa.select(sa.func.max(Proposal.id)))
        proposal = Proposal(team_id=team_id, title="복원 뒤 새 제안", authors=[ProposalAuthor(name="김민지")])
        db.session.add(proposal)
        db.session.commit()
        assert proposal.id > highest
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 7


def test_a_backup_leaves_passwords_out_unless_asked(archive, runner, fresh_app, tmp_path):
    path = tmp_path / "backup.json"
    result = runner.invoke(args=["tracker", "backup", str(path)])
    assert result.exit_code == 0 and "비밀번호는 백업에 들어 있지 않습니다" in result.output
    document = json.loads(path.read_bytes())
    assert document["format"] == "policy-idea-tracker-backup" and document["version"] == 1
    assert "alembic_revision" in document
    assert "password_hash" not in document["tables"]["user_account"]["columns"]
    assert "correct-horse" not in path.read_text() and "scrypt" not in path.read_text()

    result = run_in(fresh_app, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert "새 비밀번호" in result.output
    with fresh_app.app_context():
        people = db.session.scalars(sa.select(User).order_by(User.id)).all()
        assert [u.name for u in people][:3] == ["김민지", "박서준", "이하늘"]
        assert all(u.password_hash is None for u in people)


def test_restore_into_a_database_with_rows_is_refused_unless_replace_is_given(
        archive, app, runner, tmp_path, make_account):
    path = tmp_path / "backup.json.gz"
    runner.invoke(args=["tracker", "backup", str(path), "--with-passwords"])
    before = table_rows(engine_of(app))
    late = make_account(Role.MEMBER, name="백업 뒤 가입자").id

    result = runner.invoke(args=["tracker", "restore", str(path)])
    assert result.exit_code == 1
    assert "데이터베이스가 비어 있지 않아 아무것도 복원하지 않았습니다" in result.output
    assert db.session.get(User, late) is not None

    result = runner.invoke(args=["tracker", "restore", str(path), "--replace"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(User, late) is None
    after = table_rows(engine_of(app))
    assert after == before


@pytest.mark.parametrize("content, message", [
    (b"not json at all", "이 프로그램의 백업 파일이 아닙니다"),
    (gzip.compress(b'{"format": "policy-idea-tracker-backup", "version": 99, "tables": {}}'),
     "형식 버전 99"),
    (b'{"format": "policy-idea-tracker-backup", "version": 1, "alembic_revision": null,'
     b' "tables": {"no_such_table": {"columns": [], "rows": []}}}', "no_such_table"),
    (b'{"format": "policy-idea-tracker-backup", "version": 1, "alembic_revision": null,'
     b' "tables": {"team": {"columns": ["id", "name"], "rows": [[1]]}}}', "team 표가 손상되어"),
    (b'{"format": "policy-idea-tracker-backup", "version": 1, "alembic_revision": null,'
     b' "tables": {"team": {"columns": ["id", "status"], "rows": [[1, "closed"]]}}}', "team 표가 손상되어"),
])
def test_a_file_that_is_not_a_usable_backup_is_refused_with_the_reason(
        fresh_app, tmp_path, content, message):
    path = tmp_path / "backup.json"
    path.write_bytes(content)
    result = run_in(fresh_app, "restore", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert all(rows == [] for rows in table_rows(engine_of(fresh_app)).values())


def test_a_backup_of_another_schema_revision_is_refused(archive, runner, fresh_app, tmp_path):
    path = tmp_path / "backup.json"
    runner.invoke(args=["tracker", "backup", str(path)])
    document = json.loads(path.read_bytes())
    document["alembic_revision"] = "0001"
    path.write_text(json.dumps(document))
    result = run_in(fresh_app, "restore", str(path))
    assert result.exit_code == 1 and "0001" in result.output
    assert table_rows(engine_of(fresh_app))["proposal"] == []


def test_rows_saved_while_the_backup_runs_do_not_make_it_inconsistent(archive, app, runner, tmp_path):
    """A new team and its proposal saved by another connection after the backup has read the
    team table: a backup without one snapshot would hold the proposal but not its team."""
    with app.app_context():
        engine = db.engine
    other = sa.create_engine(engine.url)
    saved = []

    def save_meanwhile(_conn, _cursor, statement, *_args):
        if not saved and statement.lstrip().upper().startswith("SELECT") and "FROM subcommittee" in statement:
            saved.append(True)
            with other.begin() as connection:
                team_id = connection.execute(sa.text(
                    "INSERT INTO team (name, program_name, cohort, status, required_reviews, created_at) "
                    "VALUES ('소소기획단 9기', '소소기획단', 9, 'active', 1, '2025-01-01') RETURNING id")).scalar()
                connection.execute(sa.text(
                    "INSERT INTO proposal (team_id, title, stage, review_round, version, updated_at, stage_entered_at, "
                    "created_at) VALUES (:team, '백업 중 제안', 'idea', 1, 1, '2025-01-01', '2025-01-01', '2025-01-01')"), {"team": team_id})

    path = tmp_path / "backup.json"
    sa.event.listen(engine, "before_cursor_execute", save_meanwhile)
    try:
        assert runner.invoke(args=["tracker", "backup", str(path)]).exit_code == 0
    finally:
        sa.event.remove(engine, "before_cursor_execute", save_meanwhile)
        other.dispose()
    assert saved
    tables = json.loads(path.read_bytes())["tables"]
    titles = [row[tables["proposal"]["columns"].index("title")] for row in tables["proposal"]["rows"]]
    teams = [row[tables["team"]["columns"].index("name")] for row in tables["team"]["rows"]]
    assert "백업 중 제안" not in titles and "소소기획단 9기" not in teams


def test_a_damaged_backup_given_with_replace_leaves_the_database_as_it_was(archive, app, runner, tmp_path):
    path = tmp_path / "backup.json"
    runner.invoke(args=["tracker", "backup", str(path), "--with-passwords"])
    document = json.loads(path.read_bytes())
    document["tables"]["review"]["rows"][0].pop()
    path.write_text(json.dumps(document))
    before = table_rows(engine_of(app))
    result = runner.invoke(args=["tracker", "restore", str(path), "--replace"])
    assert result.exit_code == 1 and "review 표가 손상되어" in result.output
    assert table_rows(engine_of(app)) == before


def test_a_backup_that_cannot_be_written_says_why_and_leaves_no_file(archive, runner, tmp_path):
    path = tmp_path / "missing-folder" / "backup.json"
    result = runner.invoke(args=["tracker", "backup", str(path)])
    assert result.exit_code == 1 and "파일을 쓸 수 없습니다" in result.output
    assert not path.parent.exists()


def test_a_backup_while_the_database_is_down_says_so(tmp_path):
    down = create_app({"TESTING": True, "SECRET_KEY": "x",
                       "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/tracker"})
    result = run_in(down, "backup", str(tmp_path / "backup.json"))
    assert result.exit_code == 1 and "데이터베이스를 읽을 수 없어 백업을 쓰지 않았습니다" in result.output
    assert not (tmp_path / "backup.json").exists()
