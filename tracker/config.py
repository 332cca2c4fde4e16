"""Configuration.

Load order (later wins): the defaults of ``Config`` -> environment variables
(``from_environment``: DATABASE_URL, SECRET_KEY, RATELIMIT_STORAGE_URI, TRACKER_TIMEZONE, TRUSTED_PROXIES) -> the ``test_config`` mapping given to ``create_app``.
SECRET_KEY may also come from ``instance/secret_key`` (written by ``make run``); without any key
the app only starts in debug or testing mode.
"""
import os
from datetime import timedelta


class Config:
    SQLALCHEMY_DATABASE_URI = None  # SQLite file in instance/ unless DATABASE_URL is set
    SECRET_KEY = None
    # pool_pre_ping: a connection the database dropped (a restart) is replaced, not used and failed.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # A save waits this long for another writer's lock on SQLite instead of failing at once.
    SQLITE_BUSY_TIMEOUT_MS = 15_000
    # An unreachable PostgreSQL gives the "try again in a moment" page after this, not a hang.
    DATABASE_CONNECT_TIMEOUT_S = 3

    BABEL_DEFAULT_LOCALE = "ko"
    # The programme's time zone: "today" everywhere (tracker/clock.py) and the dates people read
    # (Flask-Babel's zone is set from it), whatever zone the server itself runs in.
    TIMEZONE = "Asia/Seoul"
    LANGUAGES = ("ko", "en")

    PROPOSALS_PER_PAGE = 25
    # A past idea is hinted as similar when the shared character pairs make up this share of what
    # was typed, or of the past idea's own title (tracker/services/similar.py).
    SIMILAR_THRESHOLD = 0.2
    # Larger requests get the 413 page before anything reads them: a whole request (an import
    # file) up to 10 MB, a form's text fields together up to 2 MB held in memory, 1000 fields.
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    MAX_FORM_PARTS = 1000

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # also Secure whenever the request came over HTTPS
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)  # idle timeout: renewed by every request
    SESSION_REFRESH_EACH_REQUEST = True
    REMEMBER_COOKIE_DURATION = timedelta(0)  # "remember me" is off
    SESSION_MAX_AGE = timedelta(hours=12)  # however busy, a sign-in lasts a working day at most
    TEMPORARY_PASSWORD_LIFETIME = timedelta(hours=72)  # a new account's or a reset password
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    PASSWORD_MIN_LENGTH = 10
    # Slow on purpose (werkzeug's scrypt); the test suite sets a cheap one where hashing is not the test.
    PASSWORD_HASH_METHOD = "scrypt"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"  # one account from one address
    LOGIN_LIMIT_PER_ACCOUNT_ANYWHERE = "30 per hour"  # one account from every address together
    # Proxies in front of the app whose X-Forwarded-For / -Proto may be trusted (0: none).
    TRUSTED_PROXIES = 0
    # The city's SMTP relay for notifications by e-mail (none: nothing is sent, nothing offered).
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_STARTTLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "tracker@localhost"
    BASE_URL = ""  # how the app is reached, for links in e-mails (e.g. https://idea.gyeongju.go.kr)


def from_environment() -> dict:
    """The settings the environment gives, read when an app is created (not at import)."""
    names = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "SECRET_KEY": "SECRET_KEY",
             "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI", "MAIL_SERVER": "MAIL_SERVER",
             "MAIL_USERNAME": "MAIL_USERNAME", "MAIL_PASSWORD": "MAIL_PASSWORD", "MAIL_FROM": "MAIL_FROM",
             "TRACKER_BASE_URL": "BASE_URL"}
    settings = {key: os.environ[var] for var, key in names.items() if os.environ.get(var)}
    if os.environ.get("TRACKER_TIMEZONE"):
        settings["TIMEZONE"] = os.environ["TRACKER_TIMEZONE"]
    if os.environ.get("MAIL_PORT"):
        settings["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
    if os.environ.get("MAIL_STARTTLS"):
        settings["MAIL_STARTTLS"] = os.environ["MAIL_STARTTLS"] == "1"
    if os.environ.get("TRUSTED_PROXIES"):
        settings["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    return settings
