"""Proposals to read: the filtered list, one proposal with its history, and similar-idea hints."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from wtforms import SelectChoice

from tracker import clock, permissions
from tracker.forms.fields import MAX_ID
from tracker.forms.proposals import CarryOverForm, CommentForm, MoveForm, ProposalFilterForm
from tracker.services import adopted_rule, exports, journey, mentoring, reviews, teams, workflow
from tracker.services.proposals import new_ideas, queries, similar
from tracker.views import follow_up as follow_up_views
from tracker.web.downloads import spreadsheet
from tracker.web.support import visible_proposal

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.get("/")
def index():
    form, filters = _filters()
    result = queries.proposal_list(filters, form.page.data or 1,
                                   current_app.config["PROPOSALS_PER_PAGE"], current_user)
    return render_template("proposals/index.html", form=form, filters=filters, result=result,
                           teams=teams.teams_with_subcommittees(current_user), sorts=list(queries.SORTS))


def _filters() -> tuple[ProposalFilterForm, queries.ProposalFilter]:
    form = ProposalFilterForm(request.args)
    form.validate()
    return form, queries.ProposalFilter(
        team_id=form.team.data, subcommittee_id=form.subcommittee.data, stage=form.stage_value(),
        text=(form.q.data or "").strip() or None, department=(form.department.data or "").strip() or None,
        author=(form.author.data or "").strip() or None,
        stalled_days=form.stalled.data if form.stalled.data and not form.stalled.errors else None,
        sort=form.sort.data if form.sort.data in queries.SORTS else "team")


@bp.get("/export.<any(xlsx, csv):fmt>")
def export(fmt: str):
    """The filtered list as a spreadsheet: the same filters as the page, every matching proposal."""
    _form, filters = _filters()
    return spreadsheet(exports.proposals_file(filters, current_user, fmt), fmt, "proposals")


@bp.get("/<id:proposal_id>")
def detail(proposal_id: int):
    page = queries.proposal_page(proposal_id)
    proposal = page.proposal
    if not permissions.can_view_proposal(current_user, proposal):
        abort(404)
    newest_first = request.args.get("order") == "newest"
    carried_to = {copy.team_id for copy in page.carried_over_to}  # once into a team is enough
    carry_targets = [t for t in new_ideas.teams_for_new_ideas(current_user)
                     if t.id not in carried_to and permissions.can_carry_over(current_user, proposal, t)
                     ] if permissions.can_carry_over(current_user, proposal) else []  # no team to read otherwise
    carry_form = CarryOverForm()
    carry_form.team.choices = [SelectChoice(t.id, t.name) for t in carry_targets]
    moves = workflow.allowed_moves(current_user, proposal)
    rounds = _rounds_seen(proposal)
    return render_template(
        "proposals/detail.html", page=page, newest_first=newest_first,
        history=journey.journey(page, current_user, rounds=rounds, newest_first=newest_first),
        moves=moves, unmet=workflow.unmet_conditions(proposal, moves), move_form=MoveForm(),
        comment_form=CommentForm(), carry_form=carry_form, rounds=rounds, trends=reviews.criterion_trends(rounds),
        may_review=reviews.may_review(current_user, proposal), sessions=mentoring.sessions_discussing(proposal),
        follow=follow_up_views.panel(proposal, page.handoff),
        adopted=adopted_rule.check(proposal, current_user)
        if permissions.can_see_adopted_check(current_user, proposal) else None)


def _rounds_seen(proposal) -> list[reviews.ReviewRound]:
    """The review rounds, for those who may read the reviews."""
    return reviews.rounds_of(proposal) if permissions.can_view_reviews(current_user, proposal) else []


@bp.get("/<id:proposal_id>/record")
def record(proposal_id: int):
    """The proposal's record on A4: its fields and its whole journey, to print."""
    page = queries.proposal_page(proposal_id)
    if not permissions.can_view_proposal(current_user, page.proposal):
        abort(404)
    rounds = _rounds_seen(page.proposal)
    return render_template("proposals/record.html", page=page, today=clock.today(),
                           history=journey.journey(page, current_user, rounds=rounds))


@bp.get("/similar")
def similar_hints():
    """The hint list under the title field while someone types, or for proposal ``like`` (fetched by a script)."""
    text = request.args.get("q", "")[:700]
    exclude = request.args.get("exclude", type=int)
    exclude = exclude if exclude is not None and 0 < exclude <= MAX_ID else None
    like = request.args.get("like", type=int)
    if like is not None and 0 < like <= MAX_ID:
        proposal = visible_proposal(like)
        text, exclude = f"{proposal.title} {proposal.summary or ''}", proposal.id
    found = similar.similar_ideas(text, current_user, exclude_id=exclude)
    return render_template("proposals/_similar.html", similar_ideas=found)
