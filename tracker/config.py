"""Configuration.

Load order (later wins): the defaults of ``Config`` -> environment variables
(``from_environment``: DATABASE_URL, SECRET_KEY) -> the ``test_config`` mapping given to ``create_app``.
SECRET_KEY may also come from ``instance/secret_key`` (written by ``make run``); without any key
the app only starts in debug or testing mode.
"""
import os


class Config:
    SQLALCHEMY_DATABASE_URI = None  # SQLite file in instance/ unless DATABASE_URL is set
    SECRET_KEY = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 15_000

    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"
    LANGUAGES = ("ko", "en")

    PROPOSALS_PER_PAGE = 25
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


def from_environment() -> dict:
    """The settings the environment gives, read when an app is created (not at import)."""
    names = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "SECRET_KEY": "SECRET_KEY"}
    return {key: os.environ[var] for var, key in names.items() if os.environ.get(var)}
