"""A team's status board (with moves), its printable report and exports; the programme overview."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import charts, clock, permissions
from tracker.extensions import db
from tracker.formatting import kdate_short, label, move_text, subcommittee_name
from tracker.forms.board import BoardFilterForm, CardMoveForm
from tracker.services import board, exports, workflow
from tracker.services.errors import ValidationFailed
from tracker.services.proposals import queries
from tracker.web.downloads import spreadsheet
from tracker.web.navigation import is_local_path
from tracker.web.support import team_or_403, viewer

bp = Blueprint("board", __name__)


def _board(team):
    form = BoardFilterForm(request.args)
    form.validate()
    subcommittee = form.subcommittee.data if form.subcommittee.data in {s.id for s in team.subcommittees} else None
    stalled = form.stalled.data if not form.stalled.errors and form.stalled.data else 14
    return form, board.board(team, current_user, subcommittee_id=subcommittee, stalled_days=stalled)


def _charts(team, page):
    days = board.month_ends(team)
    timeline = board.stage_timeline(team, current_user, days)
    area = charts.stacked_area([p.counts for p in timeline], [kdate_short(d) for d in days], board.BOARD_STAGES)
    rows = [(sub, {stage: page.cell(sub.id, stage) for stage in board.BOARD_STAGES}) for sub in team.subcommittees]
    bars = charts.stacked_bars([(subcommittee_name(sub), counts) for sub, counts in rows], board.BOARD_STAGES)
    return {"timeline": timeline, "area": area, "bars": bars, "board_stages": board.BOARD_STAGES}


@bp.get("/teams/<id:team_id>/board")
def show(team_id: int):
    team = team_or_403(permissions.can_view_team)
    form, page = _board(team)
    return render_template("board/show.html", team=team, form=form, page=page, move_form=CardMoveForm(),
                           moves=_move_choices(c for cards in page.cards.values() for c in cards),
                           **_charts(team, page))


def _move_choices(cards) -> dict[int, list[tuple[str, str]]]:
    """Each card's move select as (action, text); the cards of a column mostly offer the same moves,
    so each set's texts are written once."""
    written: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    choices = {}
    person = viewer()
    for card in cards:
        moves = workflow.allowed_moves(person, card.proposal)
        key = tuple(m.action for m in moves)
        if key not in written:
            written[key] = [(m.action, move_text(m)) for m in moves]
        choices[card.proposal.id] = written[key]
    return choices


@bp.get("/teams/<id:team_id>/report")
def report(team_id: int):
    team = team_or_403(permissions.can_view_team)
    form, page = _board(team)
    return render_template("board/report.html", team=team, form=form, page=page, today=clock.today(),
                           **_charts(team, page))


@bp.post("/teams/<id:team_id>/board/move")
def move(team_id: int):
    team = team_or_403(permissions.can_view_team)
    form = CardMoveForm()
    if not form.validate_on_submit():
        abort(400)
    proposal = queries.proposal(form.proposal_id.data)
    if proposal.team_id != team.id:
        abort(404)
    try:
        workflow.move(proposal, form.action.data, actor=current_user, note=form.note.data)
    except ValidationFailed as failure:
        for _field, message in failure.reasons:
            flash(f"{proposal.title}: {message}", "error")
    else:
        db.session.commit()
        flash(_("“%(title)s” moved to “%(stage)s”.", title=proposal.title, stage=label(proposal.stage)), "info")
    back = form.back.data if is_local_path(form.back.data or "") else url_for("board.show", team_id=team.id)
    return redirect(f"{back}#card-{proposal.id}")


@bp.get("/teams/<id:team_id>/board.<any(xlsx, csv):fmt>")
def export(team_id: int, fmt: str):
    team = team_or_403(permissions.can_view_team)
    subcommittee = request.args.get("subcommittee", type=int)
    subcommittee = subcommittee if subcommittee in {s.id for s in team.subcommittees} else None
    filters = queries.ProposalFilter(team_id=team.id, subcommittee_id=subcommittee, sort="stage")
    return spreadsheet(exports.proposals_file(filters, current_user, fmt), fmt, f"board-{team.cohort}")


@bp.get("/overview")
def overview():
    return render_template("board/overview.html", outcomes=board.overview(current_user),
                           stages=board.BOARD_STAGES, outcome_stages=board.OUTCOME_STAGES)
