"""A judge's screens on the day: the event's presentations, one score sheet per presentation on a
phone, each field saved as it is entered (the page's script) or all at once (without a script)."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import permissions
from tracker.extensions import db
from tracker.forms.presentation import ScoreForm
from tracker.services import presentation, recusal
from tracker.services.errors import NotAllowed, ValidationFailed

bp = Blueprint("judging", __name__)
EVENT = "/events/<id:event_id>/judge"


def _judged_event(event_id: int):
    event = presentation.get_event(event_id)
    if not permissions.can_judge(current_user, event):
        # its judges are told scoring has closed; for anyone else the event's sheets do not exist
        abort(403 if permissions.is_judge_of(current_user, event) else 404)
    return event


@bp.get("/judge")
def index():
    return render_template("judging/index.html", events=presentation.events_to_judge(current_user))


@bp.get(EVENT)
def sheet_list(event_id: int):
    event = _judged_event(event_id)
    scores, slots = presentation.scores_by(event, current_user), presentation.timetable(event)
    done = {s.slot.proposal_id: sum(1 for c in event.criteria if (s.slot.proposal_id, c["key"]) in scores)
            for s in slots}
    return render_template("judging/list.html", event=event, slots=slots, done=done)


@bp.route(EVENT + "/<int(min=1, max=1000):number>", methods=["GET", "POST"])
def sheet(event_id: int, number: int):
    event = _judged_event(event_id)
    slots = presentation.timetable(event)
    if number > len(slots):
        abort(404)
    timed = slots[number - 1]
    if request.method == "POST":  # the whole sheet, when the page's script did not run
        try:
            for criterion in event.criteria:
                value = request.form.get(f"score-{criterion['key']}", "").strip()
                score = int(value) if value.isdigit() else None
                presentation.save_score(event, current_user, timed.slot.proposal_id, criterion["key"], score)
        except ValidationFailed as failure:
            db.session.rollback()
            flash(failure.reasons[0][1], "error")
            return redirect(url_for("judging.sheet", event_id=event.id, number=number))
        db.session.commit()
        flash(_("Scores saved."), "info")
        following = number + 1 if number < len(slots) else None
        return redirect(url_for("judging.sheet", event_id=event.id, number=following) if following
                        else url_for("judging.sheet_list", event_id=event.id))
    return render_template("judging/sheet.html", event=event, timed=timed, count=len(slots),
                           scores=presentation.scores_by(event, current_user), form=ScoreForm(),
                           recused_because=recusal.recusals(event).get((current_user.id, timed.slot.proposal_id)))


@bp.post(EVENT + "/score")
def save_field(event_id: int):
    """One field, saved the moment the judge picks it; answers JSON the script can show."""
    event = presentation.get_event(event_id)
    if not permissions.can_judge(current_user, event):
        return jsonify(saved=False, message=_("Scoring is closed for you; ask the organiser.")), 403
    form = ScoreForm()
    if not form.validate_on_submit():
        return jsonify(saved=False, message=_("The score could not be read; pick it again.")), 400
    if form.judge.data is not None and form.judge.data != current_user.id:
        return jsonify(saved=False, message=_("These scores were kept for another judge and were not saved.")), 409
    try:
        presentation.save_score(event, current_user, form.proposal_id.data, form.criterion.data, form.score.data)
    except ValidationFailed as failure:
        return jsonify(saved=False, message=failure.reasons[0][1]), 400
    except NotAllowed:
        return jsonify(saved=False, message=_("This presentation is not part of your event.")), 403
    db.session.commit()
    return jsonify(saved=True)
