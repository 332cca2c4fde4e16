"""Proposals to change: log an idea, edit (with merge on a stale save), move, comment, carry over."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from tracker import permissions
from tracker.extensions import db
from tracker.formatting import label, subcommittee_name, with_deactivated
from tracker.forms.accounts import ActionForm
from tracker.forms.proposals import CarryOverForm, CommentForm, IdeaForm, MoveForm, ProposalForm
from tracker.services import accounts, adopted_rule, teams, workflow
from tracker.services.errors import ValidationFailed
from tracker.services.proposals import comments, editing, new_ideas
from tracker.web.support import attempt, show_reasons, visible_proposal

bp = Blueprint("proposal_work", __name__, url_prefix="/proposals")


@bp.route("/new", methods=["GET", "POST"])
def new():
    open_teams = new_ideas.teams_for_new_ideas(current_user)
    if not open_teams:  # not a bare refusal: what is missing, and whom to ask
        return render_template("proposals/no_cohort.html", managers=accounts.managers_to_ask()), 403
    form = IdeaForm(team=request.args.get("team", type=int))
    form.team.choices = [SelectChoice(t.id, t.name) for t in open_teams]
    if form.validate_on_submit():
        team = next((t for t in open_teams if t.id == form.team.data), None)
        if team is None:
            abort(403)
        try:
            proposal = new_ideas.log_idea(team, title=form.title.data, summary=form.summary.data,
                                      subcommittee_id=form.subcommittee.data, actor=current_user)
        except ValidationFailed as failure:
            show_reasons(form, failure)
        else:
            db.session.commit()
            flash(_("The idea is saved. Develop it into a full proposal when you are ready."), "info")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("proposals/new.html", form=form, teams=open_teams)


def _proposal_or_404(proposal_id: int):
    return visible_proposal(proposal_id)


@bp.route("/<id:proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_edit_proposal(current_user, proposal):
        abort(403)
    draft = editing.draft_of(proposal)
    form = ProposalForm(obj=draft, version=proposal.version)
    form.subcommittee_id.choices = [SelectChoice("", "–")] + [SelectChoice(s.id, subcommittee_name(s)) for s in proposal.team.subcommittees]
    form.coauthor_ids.choices = [SelectChoice(uid, with_deactivated(name, active))
                                 for uid, name, active in teams.team_member_choices(
                                     proposal.team_id, keep_ids=[a.user_id for a in proposal.authors if a.user_id])]
    if request.method == "GET" and draft.references and len(form.references) < form.references.max_entries:
        form.references.append_entry()  # one empty row for a new case (min_entries gives it when none)
    conflicts = []
    if form.validate_on_submit():
        try:
            revision = editing.save(proposal, _draft_from(form, draft.coauthor_ids), base_version=form.version.data,
                                    actor=current_user)
            db.session.commit()
        except ValidationFailed as failure:
            show_reasons(form, failure)
        except editing.EditConflict as conflict:
            db.session.rollback()
            conflicts = conflict.conflicts
            _set(form.version, conflict.version)
            _show_their_values(form, editing.draft_of(_proposal_or_404(proposal_id)), conflict.theirs_only)
        except StaleDataError:
            db.session.rollback()
            flash(_("Somebody saved this proposal at the same moment. Your text is below: save again."), "error")
            _set(form.version, _proposal_or_404(proposal_id).version)
        else:
            flash(_("Saved.") if revision else _("Nothing was changed."), "info")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("proposals/edit.html", form=form, proposal=proposal, conflicts=conflicts)


# edit-history keys -> the form fields that hold them
_FORM_FIELDS = {"subcommittee": "subcommittee_id", "authors": "coauthor_ids", "builds_on": "builds_on_id"}


def _show_their_values(form: ProposalForm, current: editing.ProposalDraft, keys: set[str]) -> None:
    """After a conflict, the fields only the other person changed show what they saved."""
    for key in keys:
        if key == "references":
            while len(form.references):
                form.references.pop_entry()
            for reference in current.references:
                form.references.append_entry(vars(reference))
        else:
            name = _FORM_FIELDS.get(key, key)
            _set(form[name], getattr(current, name))


def _set(field, value) -> None:
    """Show ``value`` in a submitted form's field (number fields would show what was typed)."""
    field.data, field.raw_data = value, None


def _draft_from(form: ProposalForm, current_authors: list[int]) -> editing.ProposalDraft:
    return editing.ProposalDraft(
        title=form.title.data or "", summary=form.summary.data, problem=form.problem.data,
        proposal_text=form.proposal_text.data, expected_effect=form.expected_effect.data,
        beneficiaries=form.beneficiaries.data, department=form.department.data, notes=form.notes.data,
        budget_krw=form.budget_krw.data, subcommittee_id=form.subcommittee_id.data,
        # a form that leaves the authors out leaves them as they are (an empty choice is not "nobody")
        coauthor_ids=list(form.coauthor_ids.data or []) if "coauthor_ids" in request.form else current_authors,
        builds_on_id=form.builds_on_id.data,
        references=[editing.ReferenceDraft(r.city.data, r.title.data, r.url.data, r.notes.data)
                    for r in form.references])


@bp.post("/<id:proposal_id>/move/<action>")
def move(proposal_id: int, action: str):
    proposal = _proposal_or_404(proposal_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        workflow.move(proposal, action, actor=current_user, note=form.note.data)
    except ValidationFailed as failure:
        for _field, message in failure.reasons:
            flash(message, "error")
    else:
        db.session.commit()
        flash(_("Moved to “%(stage)s”.", stage=label(proposal.stage)), "info")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.post("/<id:proposal_id>/comments")
def comment(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    form = CommentForm()
    if not permissions.can_comment(current_user, proposal):
        abort(403)
    if form.validate_on_submit():
        try:
            _comment, mentions = comments.add_comment(proposal, form.body.data, actor=current_user)
        except ValidationFailed as failure:
            flash(failure.reasons[0][1], "error")
        else:
            db.session.commit()
            _say_who_was_told(mentions)
            return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor="comments"))
    else:
        flash(_("Write a comment first."), "error")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor="comments"))


@bp.post("/<id:proposal_id>/adopted-check")
def record_difference(proposal_id: int):
    """A manager records how a proposal differs from the adopted ones it is like."""
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_record_difference(current_user):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(lambda: adopted_rule.record_difference(
        proposal, request.form.getlist("match", type=int), request.form.get("reason", ""), actor=current_user),
        _("Recorded how it differs; it is kept in the proposal's history."))
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


def _say_who_was_told(mentions: comments.Mentions) -> None:
    if mentions.found:
        flash(_("Notified: %(names)s.", names=", ".join(p.name for p in mentions.found)), "info")
    for written in mentions.unknown:
        flash(_("“@%(name)s” matches nobody who can read this proposal: nobody was notified for it.",
                name=written), "error")
    for written, names in mentions.unclear:
        flash(_("“@%(name)s” could be %(names)s: nobody was notified for it. Write the full name.",
                name=written, names=", ".join(names)), "error")


@bp.post("/<id:proposal_id>/carry-over")
def carry_over(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    if not permissions.can_carry_over(current_user, proposal):
        abort(403)
    form = CarryOverForm()
    open_teams = {t.id: t for t in new_ideas.teams_for_new_ideas(current_user)}
    form.team.choices = [SelectChoice(t.id, t.name) for t in open_teams.values()]
    if not form.validate_on_submit() or form.team.data not in open_teams:
        abort(400)
    try:
        copy = new_ideas.carry_over(proposal, open_teams[form.team.data], actor=current_user)
    except ValidationFailed as failure:
        flash(failure.reasons[0][1], "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    db.session.commit()
    flash(_("The idea is carried over; it starts again as an idea in %(team)s.", team=copy.team.name), "info")
    return redirect(url_for("proposals.detail", proposal_id=copy.id))
