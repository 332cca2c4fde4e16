"""Teams (cohorts): the list, and one team with its subcommittees, members and mentors."""
from flask import Blueprint, abort, render_template
from flask_login import current_user

from tracker import permissions
from tracker.services import mentoring, teams

bp = Blueprint("teams", __name__, url_prefix="/teams")


@bp.get("/")
def index():
    return render_template("teams/index.html", summaries=teams.team_summaries(current_user))


@bp.get("/<id:team_id>")
def detail(team_id: int):
    page = teams.team_page(team_id)
    if not permissions.can_view_team(current_user, page.team):
        abort(404)
    return render_template("teams/detail.html", page=page, sessions=mentoring.sessions_of(page.team))
