"""Settings managers change on a page. The first: how the similar-idea hint matches, its threshold
and the filler words it ignores (행정, 사업, 추진 …: in every other title, they make unrelated ideas
look alike)."""
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from tracker import permissions
from tracker.extensions import db
from tracker.models import Setting, User
from tracker.services import audit
from tracker.services.errors import NotAllowed, ValidationFailed

SIMILAR_KEY = "similar_ideas"
DEFAULT_IGNORED_WORDS = ("행정", "사업", "추진", "지원", "방안", "시책", "활성화")
THRESHOLD_RANGE = (0.05, 0.9)
MAX_IGNORED_WORDS, MAX_WORD_LENGTH = 200, 30
_SEPARATORS = re.compile(r"[\s,、·;]+")


def stored(key: str, defaults: dict | None = None) -> dict:
    """A setting's value as saved, over its defaults (every setting is a small JSON object)."""
    row = db.session.get(Setting, key)
    return {**(defaults or {}), **((row.value or {}) if row else {})}


def store(key: str, value: dict, *, actor: User) -> None:
    """Save a setting (the caller checks who may, and audits it)."""
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        db.session.add(row)
    row.value, row.updated_by = value, actor
    db.session.flush()


@dataclass(frozen=True)
class SimilarSettings:
    threshold: float  # the share of shared character pairs a hint needs
    ignored_words: tuple[str, ...]


def similar_settings() -> SimilarSettings:
    value = stored(SIMILAR_KEY, {"threshold": current_app.config["SIMILAR_THRESHOLD"],
                                 "ignored_words": DEFAULT_IGNORED_WORDS})
    return SimilarSettings(float(value["threshold"]), tuple(value["ignored_words"]))


def ignored_words_from(text: str | None) -> tuple[str, ...]:
    """Words typed one per line or separated by commas or spaces, each once, in lower case."""
    return tuple(dict.fromkeys(w.lower() for w in _SEPARATORS.split(text or "") if w))


def save_similar_settings(threshold: float | None, ignored_words: tuple[str, ...], *, actor: User) -> SimilarSettings:
    if not permissions.can_change_settings(actor):
        raise NotAllowed("only managers change settings")
    low, high = THRESHOLD_RANGE
    problems = []
    if threshold is None or not low <= threshold <= high:
        problems.append(("threshold", _("Give a share from %(low)d%% to %(high)d%%.", low=low * 100, high=high * 100)))
    if len(ignored_words) > MAX_IGNORED_WORDS:
        problems.append(("ignored_words", _("At most %(num)d words.", num=MAX_IGNORED_WORDS)))
    if any(len(w) > MAX_WORD_LENGTH for w in ignored_words):
        problems.append(("ignored_words", _("A word has at most %(num)d characters.", num=MAX_WORD_LENGTH)))
    if problems:
        raise ValidationFailed(problems)
    before = similar_settings()
    value = {"threshold": round(threshold, 2), "ignored_words": list(ignored_words)}
    store(SIMILAR_KEY, value, actor=actor)
    audit.record("settings_changed", actor=actor, detail={
        "setting": SIMILAR_KEY, "before": {"threshold": before.threshold, "ignored_words": list(before.ignored_words)},
        "after": value})
    db.session.flush()
    return similar_settings()
