"""The presentation event as the manager runs it: date and place, running order, judges, the
printed programme, live scoring status, and the ranking from which the selection is recorded."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import permissions
from tracker.extensions import db
from tracker.formatting import person_label
from tracker.forms.accounts import ActionForm
from tracker.forms.presentation import (
    EventForm,
    ExternalJudgeForm,
    JudgeAddForm,
    OrderForm,
    SelectionForm,
    SlotAddForm,
    SlotMinutesForm,
    SlotMoveForm,
)
from tracker.services import accounts, presentation, recusal, selection
from tracker.services.errors import ValidationFailed
from tracker.web.support import attempt, flash_form_errors, flash_reasons, show_reasons, team_or_403

bp = Blueprint("presentation", __name__)
EVENT = "/events/<id:event_id>"
SLOT = EVENT + "/slots/<id:slot_id>"


def _managed_event(event_id: int):
    event = presentation.get_event(event_id)
    if not permissions.can_manage_event(current_user, event.team):
        abort(404 if not permissions.can_view_team(current_user, event.team) else 403)
    return event


def _back(event):
    return redirect(url_for("presentation.manage", team_id=event.team_id))


@bp.route("/teams/<id:team_id>/event", methods=["GET", "POST"])
def manage(team_id: int):
    team = team_or_403(permissions.can_manage_event)
    event = presentation.event_of(team)
    form = EventForm(obj=event) if event else EventForm(held_on=team.presentation_on)
    if form.validate_on_submit():
        presentation.save_event(team, held_on=form.held_on.data, starts_at=form.starts_at.data,
                                place=form.place.data, minutes_per_slot=form.minutes_per_slot.data,
                                actor=current_user)
        db.session.commit()
        flash(_("The presentation event is saved."), "info")
        return redirect(url_for("presentation.manage", team_id=team.id))
    extra = {}
    if event is not None:
        add_form = SlotAddForm()
        add_form.proposal_id.choices = [SelectChoice(p.id, p.title) for p in presentation.slot_candidates(event)]
        judge_form = JudgeAddForm()
        judge_form.user_id.choices = [SelectChoice(u.id, person_label(u)) for u in presentation.judge_candidates(event)]
        extra = dict(slots=presentation.timetable(event), add_form=add_form, judge_form=judge_form,
                     external_form=ExternalJudgeForm(), move_form=SlotMoveForm(), minutes_form=SlotMinutesForm(),
                     order_form=OrderForm())
    return render_template("presentation/manage.html", team=team, event=event, form=form, **extra)


@bp.post(EVENT + "/slots")
def add_slot(event_id: int):
    event = _managed_event(event_id)
    form = SlotAddForm()
    if not form.validate_on_submit() or form.proposal_id.data is None:
        abort(400)
    attempt(lambda: presentation.add_slot(event, form.proposal_id.data, actor=current_user))
    return _back(event)


@bp.post(SLOT + "/move")
def move_slot(event_id: int, slot_id: int):
    event = _managed_event(event_id)
    form = SlotMoveForm()
    if not form.validate_on_submit():
        abort(400)
    presentation.move_slot(event, slot_id, form.steps.data, actor=current_user)
    db.session.commit()
    return redirect(url_for("presentation.manage", team_id=event.team_id, _anchor=f"slot-{slot_id}"))


@bp.post(SLOT + "/minutes")
def slot_minutes(event_id: int, slot_id: int):
    event = _managed_event(event_id)
    form = SlotMinutesForm()
    if not form.validate_on_submit():
        flash(_("Minutes must be a whole number from 1 to 240."), "error")
        return _back(event)
    presentation.set_slot_minutes(event, slot_id, form.minutes.data, actor=current_user)
    db.session.commit()
    return _back(event)


@bp.post(SLOT + "/remove")
def remove_slot(event_id: int, slot_id: int):
    event = _managed_event(event_id)
    attempt(lambda: presentation.remove_slot(event, slot_id, actor=current_user))
    return _back(event)


@bp.post(EVENT + "/order")
def set_order(event_id: int):
    """The running order after a drag and drop (the page's script posts every slot id in order)."""
    event = _managed_event(event_id)
    form = OrderForm()
    slot_ids = form.slot_ids() if form.validate_on_submit() else None
    if slot_ids is None:
        abort(400)
    try:
        presentation.set_order(event, slot_ids, actor=current_user)
    except ValidationFailed as failure:
        return jsonify(saved=False, message=failure.reasons[0][1]), 409
    db.session.commit()
    return jsonify(saved=True)


@bp.post(EVENT + "/judges")
def add_judge(event_id: int):
    event = _managed_event(event_id)
    form = JudgeAddForm()
    user = accounts.get_account(form.user_id.data) if form.validate_on_submit() and form.user_id.data else None
    if user is None:
        abort(400)
    attempt(lambda: presentation.add_judge(event, user, actor=current_user),
            _("%(name)s is a judge of this event.", name=user.name))
    return _back(event)


@bp.post(EVENT + "/judges/external")
def add_external_judge(event_id: int):
    event = _managed_event(event_id)
    form = ExternalJudgeForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(event)
    try:
        judge, password = presentation.add_external_judge(
            event, name=form.name.data, email=form.email.data, actor=current_user, address=request.remote_addr)
    except ValidationFailed as failure:
        db.session.rollback()
        flash_reasons(failure)
        return _back(event)
    db.session.commit()
    return render_template("presentation/judge_created.html", event=event, judge=judge, password=password)


@bp.post(EVENT + "/judges/<id:judge_id>/remove")
def remove_judge(event_id: int, judge_id: int):
    event = _managed_event(event_id)
    attempt(lambda: presentation.remove_judge(event, judge_id, actor=current_user))
    return _back(event)


@bp.get(EVENT + "/programme")
def programme(event_id: int):
    event = presentation.get_event(event_id)
    if not permissions.can_view_team(current_user, event.team):
        abort(404)
    # the running order shows each person the presentations of proposals they may see
    slots = [s for s in presentation.timetable(event) if permissions.can_view_proposal(current_user, s.slot.proposal)]
    return render_template("presentation/programme.html", event=event, slots=slots)


@bp.get(EVENT + "/scoring")
def scoring(event_id: int):
    event = _managed_event(event_id)
    slots = presentation.timetable(event)
    return render_template("presentation/scoring.html", event=event, slots=slots,
                           progress=presentation.scoring_progress(event), move_form=SlotMoveForm(),
                           recused=recusal.recusals(event), conflicts=recusal.declared_conflicts(event),
                           judge_names={j.user_id: j.user.name for j in event.judges},
                           titles={t.slot.proposal_id: t.slot.proposal.title for t in slots})


@bp.post(EVENT + "/conflicts")
def declare_conflict(event_id: int):
    event = _managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(lambda: recusal.declare_conflict(event, request.form.get("judge", type=int) or 0,
                                             request.form.get("proposal", type=int) or 0,
                                             request.form.get("reason", ""), actor=current_user),
            _("The conflict is declared: that judge's scores for that presentation are left out."))
    return redirect(url_for("presentation.scoring", event_id=event.id))


@bp.post(EVENT + "/conflicts/<id:conflict_id>/withdraw")
def withdraw_conflict(event_id: int, conflict_id: int):
    event = _managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(lambda: recusal.withdraw_conflict(event, conflict_id, actor=current_user), _("The conflict is withdrawn."))
    return redirect(url_for("presentation.scoring", event_id=event.id))


@bp.get(EVENT + "/scoring.json")
def scoring_status(event_id: int):
    """What the scoring page refreshes every few seconds: fields saved per judge and proposal."""
    event = _managed_event(event_id)
    progress = presentation.scoring_progress(event)
    return jsonify(open=event.scoring_open, criteria=len(event.criteria),
                   cells={f"{judge}-{proposal}": count for (judge, proposal), count in progress.items()})


@bp.post(EVENT + "/scoring/<any(close, reopen):what>")
def close_or_reopen(event_id: int, what: str):
    event = _managed_event(event_id)
    if what == "close":
        presentation.close_scoring(event, actor=current_user)
        flash(_("Scoring is closed; judges can no longer see or change scores."), "info")
    else:
        presentation.reopen_scoring(event, actor=current_user)
        flash(_("Scoring is open again."), "info")
    db.session.commit()
    return redirect(url_for("presentation.scoring", event_id=event.id))


@bp.route(EVENT + "/ranking", methods=["GET", "POST"])
def ranking(event_id: int):
    event = _managed_event(event_id)
    rows, judge_stats = selection.ranking_and_judges(event)
    form = SelectionForm()
    if request.method == "GET":
        for row in rows:
            form.entries.append_entry({"proposal_id": row.proposal.id, "decision": "", "note": ""})
    if form.validate_on_submit():
        decisions = {e.proposal_id.data: (e.decision.data, e.note.data) for e in form.entries
                     if e.decision.data and e.proposal_id.data}
        try:
            moved = selection.record_selection(event, decisions, actor=current_user)
        except ValidationFailed as failure:
            db.session.rollback()
            show_reasons(form, failure)
        else:
            db.session.commit()
            flash(_("Selection recorded for %(num)d proposal(s); the authors are notified.", num=moved), "info")
            return redirect(url_for("presentation.ranking", event_id=event.id))
    entries = {e.proposal_id.data: e for e in form.entries if e.proposal_id.data}
    return render_template("presentation/ranking.html", event=event, rows=rows, form=form, entries=entries,
                           judge_stats=judge_stats)

