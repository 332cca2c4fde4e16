"""Selected proposals after the presentation: the hand-off form, the department's decisions and
progress notes on the proposal page, the follow-up list of every cohort, and a team's results book."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import clock, permissions
from tracker.formatting import person_label
from tracker.forms.follow_up import DecisionForm, HandoffForm, PlanForm, ProgressNoteForm, ResponseForm
from tracker.models import Stage
from tracker.services import deadlines, department_record, exports, follow_up, results, workflow
from tracker.web.downloads import spreadsheet
from tracker.web.support import attempt, flash_form_errors, team_or_403, visible_proposal

bp = Blueprint("follow_up", __name__)
PROPOSAL = "/proposals/<id:proposal_id>"


def _proposal(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    return proposal


def _to_proposal(proposal):
    return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor="follow-up"))


@bp.post(PROPOSAL + "/hand-off")
def hand_off(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = HandoffForm()
    form.liaison_id.choices = []
    if form.validate_on_submit():
        details = department_record.HandOff(department=form.department.data, liaison_id=form.liaison_id.data,
                                            shared_on=form.shared_on.data)
        attempt(lambda: workflow.move(proposal, "hand_off", actor=current_user, note=form.note.data, details=details),
            _("Handed off to %(department)s.", department=form.department.data or proposal.department))
    else:
        flash_form_errors(form)
    return _to_proposal(proposal)


@bp.post(PROPOSAL + "/decision")
def decide(proposal_id: int):
    proposal = _proposal(proposal_id)
    open_decisions = follow_up.decisions_open_to(current_user, proposal)
    if not open_decisions:
        abort(403)
    form = DecisionForm()
    form.action.choices = open_decisions
    if form.validate_on_submit():
        decision = department_record.Decision(plan=form.plan.data, budget_year=form.budget_year.data,
                                              outcome=form.outcome.data)
        attempt(lambda: workflow.move(proposal, form.action.data, actor=current_user, note=form.note.data,
                                      details=decision),
                _("The department's decision is recorded."))
    else:
        flash_form_errors(form)
    return _to_proposal(proposal)


def _handoff_or_403(proposal):
    handoff = department_record.handoff_of(proposal)
    if handoff is None or not permissions.can_update_follow_up(current_user, handoff):
        abort(403)
    return handoff


@bp.post(PROPOSAL + "/follow-up/notes")
def add_note(proposal_id: int):
    proposal = _proposal(proposal_id)
    handoff = _handoff_or_403(proposal)
    form = ProgressNoteForm()
    if form.validate_on_submit():
        attempt(lambda: follow_up.add_note(handoff, noted_on=form.noted_on.data, body=form.body.data,
                                           progress=form.progress.data, actor=current_user),
                _("Progress recorded."))
    else:
        flash_form_errors(form)
    return _to_proposal(proposal)


@bp.post(PROPOSAL + "/follow-up/response")
def set_response(proposal_id: int):
    proposal = _proposal(proposal_id)
    handoff = _handoff_or_403(proposal)
    form = ResponseForm()
    if not form.validate_on_submit():
        abort(400)
    attempt(lambda: follow_up.set_response(handoff, form.response.data, actor=current_user),
            _("The department's response is saved."))
    return _to_proposal(proposal)


@bp.post(PROPOSAL + "/follow-up/plan")
def set_plan(proposal_id: int):
    proposal = _proposal(proposal_id)
    handoff = _handoff_or_403(proposal)
    form = PlanForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _to_proposal(proposal)
    attempt(lambda: deadlines.set_plan(handoff, plan=form.plan.data, planned_on=form.planned_on.data,
                                       delay_reason=form.delay_reason.data, actor=current_user),
            _("The implementation plan is saved."))
    return _to_proposal(proposal)


@bp.get("/follow-up")
def index():
    if not permissions.can_view_follow_up(current_user):
        abort(403)
    overdue_only = request.args.get("overdue") == "1"
    rows = follow_up.follow_up_rows(permissions.followed_proposals(current_user))
    shown = [r for r in rows if r.overdue] if overdue_only else rows
    return render_template("follow_up/index.html", rows=shown, overdue_count=sum(r.overdue for r in rows),
                           stale_count=sum(r.stale for r in rows), late_count=sum(bool(r.late) for r in rows),
                           overdue_only=overdue_only, overdue_days=follow_up.OVERDUE_DAYS,
                           this_year=clock.today().year)


@bp.get("/follow-up/report/<int(min=2000, max=2100):year>")
def yearly_report(year: int):
    """Every proposal handed off in the year, with its dates, answers, plan, progress and delays."""
    rows = _yearly_rows(year)
    return render_template("follow_up/report.html", rows=rows, year=year, today=clock.today(),
                           settings=deadlines.settings())


@bp.get("/follow-up/report/<int(min=2000, max=2100):year>.xlsx")
def yearly_report_xlsx(year: int):
    rows = _yearly_rows(year)
    return spreadsheet(exports.implementation_report_file(rows, year), "xlsx", f"implementation-{year}")


def _yearly_rows(year: int) -> list[deadlines.ReportRow]:
    if not permissions.can_view_follow_up(current_user):
        abort(403)
    return deadlines.yearly_report(year, permissions.followed_proposals(current_user))


@bp.get("/teams/<id:team_id>/results")
def results_book(team_id: int):
    team = team_or_403(permissions.can_view_team)
    return render_template("follow_up/results.html", book=results.book(team, current_user), today=clock.today())


def panel(proposal, handoff) -> dict | None:
    """What the proposal page shows of the follow-up (and the forms this person may use), if anything."""
    if proposal.stage not in follow_up.FOLLOWED_STAGES:
        return None
    handoff_form = None
    if any(m.action == "hand_off" for m in workflow.allowed_moves(current_user, proposal)):
        handoff_form = HandoffForm(department=proposal.department)
        handoff_form.liaison_id.choices = [SelectChoice("", _("— none yet —"))] + [
            SelectChoice(u.id, person_label(u)) for u in follow_up.liaison_choices()]
    decision_form = None
    decisions = follow_up.decisions_open_to(current_user, proposal)
    if decisions:
        decision_form = DecisionForm()
        decision_form.action.choices = [SelectChoice(a, workflow.MOVES_BY_ACTION[a].label) for a in decisions]
    may_update = handoff is not None and permissions.can_update_follow_up(current_user, handoff)
    return {"handoff": handoff, "handoff_form": handoff_form, "decision_form": decision_form,
            "note_form": ProgressNoteForm() if may_update else None,
            "response_form": ResponseForm(response=handoff.response) if may_update else None,
            "plan_form": PlanForm(plan=handoff.plan, planned_on=handoff.planned_completion_on)
            if may_update and proposal.stage == Stage.ADOPTED else None,
            "due": deadlines.due_of(handoff, proposal.stage) if handoff else None}
