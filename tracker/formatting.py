"""Language choice and the Korean way of writing dates and amounts, for templates."""
from datetime import date, datetime

from babel.dates import format_skeleton
from flask import Flask, current_app, g, has_app_context, request
from flask_babel import format_date, format_decimal, format_time, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l

from tracker import clock, permissions, vocabulary
from tracker.models import Recommendation, Role, Stage

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """Korean unless the person chose English (the choice is kept in a cookie)."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not request:
        return default
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in languages else default


def _for_this_locale():
    """(language, translations) of the current locale, looked up once per request and locale.

    Flask-Babel finds its context, locale and catalogue again on every call, which costs a board
    page with a hundred cards several milliseconds; the pair is kept beside Flask-Babel's own
    per-request state (read through ``g`` once per call, not once per attribute) and read again
    whenever the locale object there is another one."""
    if not has_app_context():
        return str(get_locale() or "ko"), get_translations()
    kept_in = g._get_current_object()
    locale = getattr(getattr(kept_in, "_flask_babel", None), "babel_locale", None)
    kept = getattr(kept_in, "_tracker_locale", None)
    if kept is None or locale is None or kept[0] is not locale:
        language, translations = str(get_locale() or "ko"), get_translations()
        kept_in._tracker_locale = (getattr(kept_in._flask_babel, "babel_locale", None), language, translations)
        return language, translations
    return kept[1], kept[2]


def current_language() -> str:
    return _for_this_locale()[0]


def kdate(value: date | datetime | None) -> str:
    """2025. 10. 15. in Korean, Oct 15, 2025 in English."""
    if value is None:
        return ""
    return format_date(value, "medium")


def kdate_short(value: date) -> str:
    """10월 in Korean, Oct in English: a chart's axis label."""
    return format_date(value, "MMM")


def kdatetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value, 'medium')} {format_time(value, 'HH:mm')}"


def krw(value: int | None) -> str:
    """1,500,000원 in Korean, ₩1,500,000 in English."""
    if value is None:
        return ""
    amount = format_decimal(value)
    return f"₩{amount}" if current_language() == "en" else f"{amount}원"


def label(value) -> str:
    return vocabulary.label(value, current_language()) if value is not None else ""


def recommendation_label(value: str) -> str:
    return label(Recommendation(value))


def field_label(name: str) -> str:
    return vocabulary.field_label(name, current_language())


def change_value(value, field: str) -> str:
    """A value from an edit history, written as the proposal page writes it."""
    if value is None or value == [] or value == "":
        return "–"
    if field == "budget_krw":
        return krw(value)
    if field == "created_on":
        return kdate(date.fromisoformat(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def subcommittee_name(subcommittee) -> str:
    if subcommittee is None:
        return ""
    if current_language() == "en" and subcommittee.name_en:
        return subcommittee.name_en
    return subcommittee.name_ko


_SIGN_IN_REFUSALS = {
    "unknown_account": _l("no such account"), "no_password": _l("no password set"),
    "wrong_password": _l("wrong password"), "inactive": _l("account deactivated"),
    "expired": _l("judge's access ended"), "temporary_expired": _l("temporary password expired"),
}


def audit_detail(detail: dict | None) -> str:
    """An audit entry's details in words: why a sign-in failed, which roles, how many sessions."""
    if not detail:
        return ""

    def roles(values) -> str:
        return ", ".join(label(Role(v)) if v in Role._value2member_map_ else str(v) for v in values)

    def value_of(key, value) -> str:
        if key == "reason":
            return str(_SIGN_IN_REFUSALS.get(value, value))
        if isinstance(value, dict):  # a setting before and after
            return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in value.items())
        if isinstance(value, list):
            return roles(value)
        return str(value)

    names = {"reason": _l("Reason"), "roles": _l("Roles"), "before": _l("Before"), "after": _l("After"),
             "sessions": _l("Sessions ended"), "setting": _l("Setting")}
    return " · ".join(f"{names.get(k, k)}: {value_of(k, v)}" for k, v in detail.items())


def person_label(user) -> str:
    """A name in a list of accounts, with what tells two 김민지 apart."""
    detail = user.department or user.email or user.staff_id
    return f"{user.name} ({detail})" if detail else user.name


def criterion_name(criterion) -> str:
    """A criterion in the reader's language: an event's ({"name_ko", "name_en"}), a rubric's, or
    anything else with those two names."""
    def name(key):
        return criterion.get(key) if isinstance(criterion, dict) else getattr(criterion, key, None)

    english = name("name_en")
    return english if current_language() == "en" and english else name("name_ko")


def with_deactivated(name: str, active: bool) -> str:
    """A name in a list of people to choose, marked when the account is deactivated."""
    return name if active else gettext("%(name)s (deactivated)", name=name)


def move_text(move) -> str:
    """A move's button or option: its label, and where it leads when the label does not say."""
    text = str(move.label)
    target = gettext("previous stage") if move.target == "previous" else label(move.target)
    return text if target == text else f"{text} → {target}"


def month_label(value: date) -> str:
    """2025년 10월 / October 2025."""
    return format_skeleton("yMMMM", value, locale=get_locale())


def weekday(value: date, width: str = "EEE") -> str:
    return format_date(value, width)


def time_of_day(value: datetime) -> str:
    return format_time(value, "HH:mm")


def activity_when(activity) -> str:
    """2025. 10. 15. 14:00 – 16:00; the date alone for a date-only session."""
    if activity.date_only:
        return kdate(activity.starts_at)
    text = kdatetime(activity.starts_at)
    if activity.ends_at:
        same_day = clock.local_date(activity.ends_at) == clock.local_date(activity.starts_at)
        text += " – " + (time_of_day(activity.ends_at) if same_day else kdatetime(activity.ends_at))
    return text


def month_arg(moment: datetime) -> str:
    return clock.local_date(moment).strftime("%Y-%m")


def register(app: Flask) -> None:
    # the same callables as Flask-Babel's, reading the catalogue found once per request
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _for_this_locale()[1].ugettext(s),
        ngettext=lambda s, p, n: _for_this_locale()[1].ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _for_this_locale()[1].upgettext(c, s),
        npgettext=lambda c, s, p, n: _for_this_locale()[1].unpgettext(c, s, p, n),
    )
    app.jinja_env.tests["visible_to"] = lambda proposal, user: permissions.can_view_proposal(user, proposal)
    app.jinja_env.filters.update(kdate=kdate, kdatetime=kdatetime, krw=krw, label=label,
                                 subcommittee_name=subcommittee_name, criterion_name=criterion_name, move_text=move_text, field_label=field_label,
                                 change_value=change_value, recommendation_label=recommendation_label, audit_detail=audit_detail,
                                 month_label=month_label, weekday=weekday, clock=time_of_day,
                                 activity_when=activity_when, month_arg=month_arg)
    app.jinja_env.globals.update(current_language=current_language, all_stages=list(Stage),
                                 **permissions.template_globals())
