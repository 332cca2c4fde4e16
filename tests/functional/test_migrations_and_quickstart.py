"""The migrations build the whole schema from an empty database, and the real CLI (as `make run`
calls it) migrates and loads the programme data, in Korean, on SQLite and on PostgreSQL."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tracker import create_app
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def test_migrations_match_the_models_and_downgrade_cleanly(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
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
