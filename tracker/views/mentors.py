"""A team's mentors (matching and load), its rubric, and its mentoring sessions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import permissions
from tracker.extensions import db
from tracker.formatting import label, subcommittee_name
from tracker.forms.accounts import ActionForm
from tracker.forms.reviews import MentorAssignmentForm, MentoringSessionForm, RubricForm
from tracker.models import MentorKind, Stage
from tracker.services import mentoring, reviews, teams
from tracker.services.errors import ValidationFailed
from tracker.web.support import show_reasons, team_or_403

bp = Blueprint("mentors", __name__, url_prefix="/teams/<id:team_id>")


@bp.route("/mentors", methods=["GET", "POST"])
def index(team_id: int):
    team = team_or_403(lambda user, _team: permissions.can_manage_mentors(user))
    form = MentorAssignmentForm()
    form.user.choices = [SelectChoice(u.id, u.name) for u in mentoring.mentor_candidates()]
    form.subcommittee.choices = [SelectChoice(s.id, subcommittee_name(s)) for s in team.subcommittees]
    form.kind.choices = [SelectChoice(k.value, label(k)) for k in MentorKind]
    if form.validate_on_submit():
        subcommittee = next(s for s in team.subcommittees if s.id == form.subcommittee.data)
        mentor = next(u for u in mentoring.mentor_candidates() if u.id == form.user.data)
        teams.assign_mentor(mentor, subcommittee, kind=MentorKind(form.kind.data),
                            organisation=form.organisation.data or None, field=form.field.data or None)
        db.session.commit()
        flash(_("%(name)s is matched to %(subcommittee)s.", name=mentor.name,
                subcommittee=subcommittee_name(subcommittee)), "info")
        return redirect(url_for("mentors.index", team_id=team.id))
    return render_template("mentors/index.html", team=team, form=form, loads=mentoring.mentor_loads(team),
                           sessions=mentoring.sessions_of(team), action=ActionForm())


@bp.post("/mentors/<id:assignment_id>/remove")
def unmatch(team_id: int, assignment_id: int):
    team = team_or_403(lambda user, _team: permissions.can_manage_mentors(user))
    if not ActionForm().validate_on_submit():
        abort(400)
    mentoring.unmatch(mentoring.get_assignment(team, assignment_id), actor=current_user)
    db.session.commit()
    flash(_("The match has ended; the mentor's reviews stay."), "info")
    return redirect(url_for("mentors.index", team_id=team.id))


@bp.route("/rubric", methods=["GET", "POST"])
def rubric(team_id: int):
    team = team_or_403(lambda user, _team: permissions.can_manage_mentors(user))
    current = reviews.current_rubric(team)
    form = RubricForm(data={"criteria": [
        {"name_ko": c.name_ko, "name_en": c.name_en, "explanation": c.description, "weight": c.weight}
        for c in current.criteria]})
    if request.method == "GET" and len(form.criteria) < form.criteria.max_entries:
        form.criteria.append_entry()  # a row for a new criterion
    if form.validate_on_submit():
        drafts = [reviews.CriterionDraft(e.name_ko.data or "", e.name_en.data or None,
                                         e.explanation.data or None, e.weight.data or 1.0)
                  for e in form.criteria]
        try:
            saved = reviews.save_rubric(team, drafts, actor=current_user)
        except ValidationFailed as failure:
            flash(failure.reasons[0][1], "error")
        else:
            db.session.commit()
            flash(_("The rubric is saved (version %(version)d).", version=saved.version), "info")
            return redirect(url_for("mentors.rubric", team_id=team.id))
    db.session.commit()  # the default rubric, made on first use
    return render_template("mentors/rubric.html", team=team, form=form, rubric=current,
                           in_use=reviews.rubric_in_use(current))


@bp.route("/mentoring/new", methods=["GET", "POST"])
def new_session(team_id: int):
    team = team_or_403(permissions.can_record_mentoring)
    loads = mentoring.mentor_loads(team)
    form = MentoringSessionForm(mentor=current_user.id if permissions.is_mentor(current_user) else None)
    # only the sessions this person may record: a mentor their own, in their own subcommittees
    recordable = [(load.mentor, a.subcommittee) for load in loads for a in load.assignments
                  if permissions.can_record_session_of(current_user, load.mentor, a.subcommittee_id)]
    subcommittee_ids = {sub.id for _mentor, sub in recordable}
    form.subcommittee.choices = [SelectChoice(s.id, subcommittee_name(s)) for s in team.subcommittees
                                 if s.id in subcommittee_ids]
    form.mentor.choices = [SelectChoice(m.id, m.name) for m in dict.fromkeys(m for m, _sub in recordable)]
    proposals = teams.team_proposal_choices(team.id, current_user, exclude_stages=(Stage.WITHDRAWN,))
    form.proposals.choices = [SelectChoice(pid, title) for pid, title in proposals]
    if form.validate_on_submit():
        try:
            mentoring.record_session(team, actor=current_user, on=form.on.data, subcommittee_id=form.subcommittee.data,
                                     mentor_id=form.mentor.data, place=form.place.data, notes=form.notes.data,
                                     proposal_ids=list(form.proposals.data or []))
        except ValidationFailed as failure:
            show_reasons(form, failure)
        else:
            db.session.commit()
            flash(_("The mentoring session is recorded."), "info")
            return redirect(url_for("teams.detail", team_id=team.id))
    return render_template("mentors/session_new.html", team=team, form=form)
