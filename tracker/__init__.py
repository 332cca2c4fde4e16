"""The application factory."""
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from tracker import formatting
from tracker.cli import tracker_cli
from tracker.config import Config, from_environment
from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate
from tracker.views import register_blueprints
from tracker.web.converters import register_converters
from tracker.web.errors import register_error_handlers
from tracker.web.limits import register_request_limits
from tracker.web.navigation import register_menu
from tracker.web.requests import TrackerRequest
from tracker.web.security import register_security

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("TRACKER_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = TrackerRequest  # no NUL characters in submitted values
    app.config.from_object(Config)
    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    _configure_database_url(app)
    _configure_secret_key(app)

    register_request_limits(app)
    register_extensions(app)
    register_security(app)
    register_converters(app)
    register_blueprints(app)
    register_menu(app)
    register_error_handlers(app)
    formatting.register(app)
    app.cli.add_command(tracker_cli)
    return app


def _configure_database_url(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'tracker.sqlite'}"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgres://"):  # the form some hosts hand out
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000,
                                   **options.get("connect_args", {})}
    elif url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT_S"],
                                   **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _configure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if key_file.exists():
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    elif app.debug or app.testing:
        app.config["SECRET_KEY"] = "dev-only-not-secret"
    else:
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            f"(or write one to {key_file}); only debug and testing runs may go without."
        )


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    app.teardown_appcontext(_end_database_session)  # runs before Flask-SQLAlchemy's own
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=formatting.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas(app.config["SQLITE_BUSY_TIMEOUT_MS"]))


def _end_database_session(_error) -> None:
    """End the request's session. When the database went away after the last query (the page is
    already made), the closing ROLLBACK fails: drop the connection instead of failing the answer."""
    try:
        db.session.remove()
    except sa.exc.DBAPIError:
        db.session().invalidate()
        db.session.remove()


def _sqlite_pragmas(busy_timeout_ms: int):
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()
    return on_connect
