"""A team's activities calendar: month and year views, activities, and the private iCalendar feed."""
import re
from datetime import date

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import clock, permissions
from tracker.extensions import db
from tracker.formatting import label, subcommittee_name, with_deactivated
from tracker.forms.accounts import ActionForm
from tracker.forms.calendar import ActivityForm
from tracker.forms.fields import FIRST_YEAR, LAST_YEAR
from tracker.models import ActivityKind, Stage
from tracker.services import calendar, teams
from tracker.services.errors import NotFound, ValidationFailed
from tracker.web.support import show_reasons, team_or_403

bp = Blueprint("calendar", __name__)
TEAM = "/teams/<id:team_id>/calendar"
ACTIVITY = TEAM + "/activities/<id:activity_id>"
MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month_arg(team) -> date:
    found = MONTH.fullmatch(request.args.get("month", ""))
    if found and FIRST_YEAR <= int(found[1]) <= LAST_YEAR and 1 <= int(found[2]) <= 12:
        return date(int(found[1]), int(found[2]), 1)
    return calendar.default_month(team)


def _year_arg(team) -> int:
    year = request.args.get("year", type=int)
    return year if year and FIRST_YEAR <= year <= LAST_YEAR else calendar.default_year(team)


def _feed(team) -> dict:
    """The feed address (made on first use) for the page's feed section."""
    token = calendar.feed_token(team)
    db.session.commit()
    return {"feed_url": url_for("calendar.feed", token=token, _external=True), "action": ActionForm()}


@bp.get(TEAM)
def month(team_id: int):
    team = team_or_403(permissions.can_view_calendar)
    shown = calendar.month_of(team, _month_arg(team))
    return render_template("calendar/month.html", team=team, month=shown, today=clock.today(), **_feed(team))


@bp.get(TEAM + "/list")
def year_list(team_id: int):
    team = team_or_403(permissions.can_view_calendar)
    year = _year_arg(team)
    return render_template("calendar/list.html", team=team, year=year, months=calendar.year_of(team, year),
                           **_feed(team))


@bp.get(ACTIVITY)
def detail(team_id: int, activity_id: int):
    team = team_or_403(permissions.can_view_calendar)
    return render_template("calendar/detail.html", team=team, activity=calendar.get_activity(team, activity_id))


def _day_arg(text: str) -> date | None:
    """A date from the URL (?on=2025-06-12), or None when it is not a real date of our years."""
    try:
        day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None
    return day if day and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _form(team, activity=None) -> ActivityForm:
    if activity is None:
        form = ActivityForm(on=_day_arg(request.args.get("on", "")))
    else:
        starts = clock.local(activity.starts_at)
        ends = clock.local(activity.ends_at) if activity.ends_at else None
        form = ActivityForm(data={
            "kind": activity.kind.value, "title": activity.title, "on": starts.date(), "starts": starts.time(),
            "ends_on": ends.date() if ends and ends.date() != starts.date() else None,
            "ends": ends.time() if ends else None, "place": activity.place, "notes": activity.notes,
            "subcommittees": [s.id for s in activity.subcommittees],
            "attendees": [u.id for u in activity.attendees],
            "proposals": [p.id for p in activity.proposals if permissions.can_view_proposal(current_user, p)]})
    form.kind.choices = [SelectChoice(k.value, label(k)) for k in ActivityKind]
    form.subcommittees.choices = [SelectChoice(s.id, subcommittee_name(s)) for s in team.subcommittees]
    form.attendees.choices = [SelectChoice(u.id, with_deactivated(u.name, u.is_active))
                              for u in calendar.attendee_choices(team, keep_ids=[u.id for u in activity.attendees]
                                                                 if activity else ())]
    form.proposals.choices = [SelectChoice(pid, title) for pid, title in teams.team_proposal_choices(
        team.id, current_user, exclude_stages=(Stage.WITHDRAWN,))]
    return form


def _draft(form: ActivityForm) -> calendar.ActivityDraft:
    return calendar.ActivityDraft(
        kind=form.kind.data, title=form.title.data or "", on=form.on.data, starts=form.starts.data,
        ends_on=form.ends_on.data, ends=form.ends.data, place=form.place.data, notes=form.notes.data,
        subcommittee_ids=list(form.subcommittees.data or []), attendee_ids=list(form.attendees.data or []),
        proposal_ids=list(form.proposals.data or []))


@bp.route(TEAM + "/activities/new", methods=["GET", "POST"])
def new(team_id: int):
    team = team_or_403(permissions.can_manage_activities)
    form = _form(team)
    if form.validate_on_submit():
        try:
            activity = calendar.create_activity(team, _draft(form), actor=current_user)
        except ValidationFailed as failure:
            show_reasons(form, failure)
        else:
            db.session.commit()
            flash(_("The activity is on the calendar."), "info")
            return redirect(url_for("calendar.detail", team_id=team.id, activity_id=activity.id))
    return render_template("calendar/form.html", team=team, form=form, activity=None)


@bp.route(ACTIVITY + "/edit", methods=["GET", "POST"])
def edit(team_id: int, activity_id: int):
    team = team_or_403(permissions.can_manage_activities)
    activity = calendar.get_activity(team, activity_id)
    form = _form(team, activity)
    if form.validate_on_submit():
        try:
            calendar.update_activity(activity, _draft(form), actor=current_user)
        except ValidationFailed as failure:
            show_reasons(form, failure)
        else:
            db.session.commit()
            flash(_("The activity is saved."), "info")
            return redirect(url_for("calendar.detail", team_id=team.id, activity_id=activity.id))
    return render_template("calendar/form.html", team=team, form=form, activity=activity)


@bp.post(TEAM + "/feed/reset")
def reset_feed(team_id: int):
    team = team_or_403(permissions.can_reset_calendar_feed)
    if not ActionForm().validate_on_submit():
        abort(400)
    calendar.reset_feed_token(team, actor=current_user)
    db.session.commit()
    flash(_("The calendar feed has a new address; the old one no longer works."), "info")
    return redirect(url_for("calendar.month", team_id=team.id))


@bp.get("/calendar/<string(maxlength=64):token>.ics")
def feed(token: str):
    """Public (calendar apps cannot sign in): the exact token of one team, or 404."""
    try:
        team = calendar.team_for_token(token)
    except NotFound:
        abort(404)
    response = make_response(calendar.feed_ics(team))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="team-{team.id}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
