"""The migrations build the whole schema from an empty database, step down and up again without
losing data, and the real CLI (as `make run` calls it) migrates and loads the programme data, in
Korean, on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.helpers import table_rows
from tracker import create_app
from tracker.extensions import db
from tracker.importers.programme import load_programme
from tracker.models import Activity, ActivityKind, Handoff, Proposal, ProposalAuthor, Role, Stage, StageChange
from tracker.models.search import described_by_models
from tracker.services import accounts
from tracker.services.proposals import text_index
from tracker.services import teams as team_service

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_match_the_models_and_downgrade_cleanly(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                  "include_name": described_by_models})
            assert compare_metadata(context, db.metadata) == []
            assert "proposal" in sa.inspect(connection).get_table_names()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_cli_migrates_and_loads_the_programme_in_korean(empty_database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": empty_database_url, "FLASK_APP": "app",
           "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "cli-test"}
    flask = [sys.executable, "-m", "flask"]

    def run(*args):
        return subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=120)

    assert run("db", "upgrade").returncode == 0
    first, second = run("tracker", "load-programme"), run("tracker", "load-programme")
    assert first.returncode == second.returncode == 0, first.stderr
    assert "기수를 만들었습니다: 소소기획단 1기" in first.stdout
    assert "새로 등록 4건" in first.stdout
    assert "변경 없음 4건" in second.stdout and "기수를 만들었습니다" not in second.stdout


def test_production_start_without_a_secret_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})


def test_database_url_and_sqlite_default(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    default = create_app({"TESTING": True})
    assert default.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/x")
    given = create_app({"TESTING": True})
    assert given.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/x"


def test_sqlite_runs_with_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"})
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15_000
    with app.app_context():
        db.engine.dispose()


def add_working_data() -> None:
    """The programme's teams and ideas, plus an account, a stage move, an activity with an attendee
    and an audit entry: rows in the tables the latest migrations touch."""
    load_programme()
    team = team_service.find_team("소소기획단 2기")
    member, _temporary = accounts.create_account(accounts.NewAccount(
        name="김민지", staff_id="G-1", roles=(Role.MEMBER,)), actor=None, address="test")
    proposal = Proposal(team=team, subcommittee=team.subcommittees[0], title="청년 빈집 활용",
                        authors=[ProposalAuthor(user=member)])
    db.session.add(StageChange(proposal=proposal, to_stage=Stage.IDEA, action="create", actor=member))
    sent_back = Proposal(team=team, subcommittee=team.subcommittees[0], title="되돌아온 제안")
    for to_stage, action in ((Stage.IDEA, "create"), (Stage.DEVELOPING, "develop"), (Stage.IN_REVIEW, "submit"),
                             (Stage.DEVELOPING, "request_changes")):
        db.session.add(StageChange(proposal=sent_back, from_stage=sent_back.stage, to_stage=to_stage, action=action))
        sent_back.enter(to_stage)
    db.session.flush()
    assert sent_back.furthest_stage == Stage.IN_REVIEW
    text_index.index_proposals([proposal.id, sent_back.id])
    team.calendar_token = "feed-secret"
    db.session.add(Activity(team=team, kind=ActivityKind.EXPERT_LECTURE, title="빈집 재생 특강",
                            starts_at=datetime(2025, 5, 14, 5, tzinfo=timezone.utc), attendees=[member]))
    db.session.commit()


def test_a_step_down_and_up_again_keeps_the_data(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        head = current_revision()
        add_working_data()
        before = table_rows(db.engine)
        assert len(before["proposal"]) == 6 and len(before["activity_attendee"]) == 1

        downgrade(revision=f"-{STEPS_DOWN}")
        assert current_revision() != head
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM proposal")).scalar() == 6
        upgrade()
        assert current_revision() == head
        after = table_rows(db.engine)
        assert without_dropped_columns(after) == without_dropped_columns(before)
        db.session.remove()
        db.engine.dispose()


def test_answers_recorded_before_the_deadlines_get_their_programme_day(empty_database_url):
    """0018 reads when a department answered from the stage change: the day in Korea, as a date."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        add_working_data()
        proposal = db.session.scalar(sa.select(Proposal).where(Proposal.title == "청년 빈집 활용"))
        db.session.add(Handoff(proposal=proposal, department="도시재생과", shared_on=date(2025, 11, 3)))
        db.session.add(StageChange(proposal=proposal, from_stage=Stage.HANDED_OFF, to_stage=Stage.ADOPTED,
                                   action="adopt", created_at=datetime(2025, 11, 20, 16, tzinfo=timezone.utc)))
        db.session.commit()
        downgrade(revision="0017")
        upgrade(revision="0019")
        db.session.expire_all()
        assert db.session.scalar(sa.select(Handoff.decided_on)) == date(2025, 11, 21)  # 16:00 UTC is the next day
        if db.engine.dialect.name == "sqlite":  # what 0018 once wrote there, mended by 0020
            db.session.execute(sa.text("UPDATE handoff SET decided_on = 2025"))
            db.session.commit()
            upgrade()
            db.session.expire_all()
            assert db.session.scalar(sa.select(Handoff.decided_on)) == date(2025, 11, 21)
        upgrade()
        db.session.remove()
        db.engine.dispose()


# The newest migrations stepped down and up again: 0020 (no change to undo), 0019 to 0016 (columns the working rows leave empty),
# 0015, 0014 and 0013 (new tables) and 0012, which drops how far each proposal got and when it entered
# its stage and reads both again from the history (how far exactly, compared below; the moment as its
# stage change's, a moment apart).
STEPS_DOWN = 9
DROPPED_BY_THE_LAST_DOWNGRADE = {"proposal": "stage_entered_at"}


def without_dropped_columns(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    kept = dict(rows)
    for table, column in DROPPED_BY_THE_LAST_DOWNGRADE.items():
        at = [c.name for c in db.metadata.tables[table].columns].index(column)
        kept[table] = [row[:at] + (None,) + row[at + 1:] for row in rows[table]]
    return kept


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_a_backup_of_a_migrated_database_restores_into_another_one(empty_database, tmp_path):
    """The real set-up (flask db upgrade), not the test schema: revision, types and rows survive."""
    source, target = (create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database()})
                      for _ in range(2))
    path = tmp_path / "backup.json.gz"
    with source.app_context():
        upgrade()
        add_working_data()
        before = table_rows(db.engine)
        result = source.test_cli_runner().invoke(args=["tracker", "backup", str(path), "--with-passwords"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    with target.app_context():
        upgrade()
        result = target.test_cli_runner().invoke(args=["tracker", "restore", str(path)])
        assert result.exit_code == 0, result.output
        after = table_rows(db.engine)
        assert after == before
        db.session.remove()
        db.engine.dispose()
