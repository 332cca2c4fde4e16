"""Configuration.

Load order (later wins): the defaults of ``Config`` -> environment variables read here
(DATABASE_URL, SECRET_KEY, ...) -> the ``test_config`` mapping given to ``create_app``.
SECRET_KEY may also come from ``instance/secret_key`` (written by ``make run``); without any key
the app only starts in debug or testing mode.
"""
import os


class Config:
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite file in instance/
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 15_000

    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"
    LANGUAGES = ("ko", "en")

    PROPOSALS_PER_PAGE = 25
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
