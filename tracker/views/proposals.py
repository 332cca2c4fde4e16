"""Proposals: the filtered list and one proposal with its history."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from tracker import permissions
from tracker.forms.proposals import ProposalFilterForm
from tracker.services import archive

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.get("/")
def index():
    form = ProposalFilterForm(request.args)
    form.validate()
    filters = archive.ProposalFilter(
        team_id=form.team.data, subcommittee_id=form.subcommittee.data,
        stage=form.stage_value(), text=(form.q.data or "").strip() or None)
    result = archive.proposal_list(filters, form.page.data or 1,
                                   current_app.config["PROPOSALS_PER_PAGE"], current_user)
    teams = archive.teams_with_subcommittees(current_user)
    return render_template("proposals/index.html", form=form, filters=filters, result=result,
                           teams=teams)


@bp.get("/<int(max=2147483647):proposal_id>")
def detail(proposal_id: int):
    page = archive.proposal_page(proposal_id)
    if not permissions.can_view_proposal(current_user, page.proposal):
        abort(403)
    return render_template("proposals/detail.html", page=page)
