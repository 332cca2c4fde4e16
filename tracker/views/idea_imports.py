"""Managers import past ideas from a file: upload for a cohort, preview, then save by choice."""
from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker import permissions
from tracker.extensions import db
from tracker.forms.proposals import IdeaImportForm, ImportDecisionForm
from tracker.importers import uploads
from tracker.models import Team
from tracker.services import teams as team_service
from tracker.vocabulary import IDEA_HEADERS

bp = Blueprint("idea_imports", __name__, url_prefix="/proposals/import")
COLUMNS = ", ".join(f"{names[0]}/{names[1]}" for names in IDEA_HEADERS.values())


def _upload_form() -> IdeaImportForm:
    form = IdeaImportForm()
    form.team.choices = [SelectChoice("", _("The file's team (기수) column")),
                         *(SelectChoice(t.id, t.name) for t in team_service.teams_with_subcommittees(current_user))]
    return form


@bp.route("", methods=["GET", "POST"])
def upload():
    if not permissions.can_import_ideas(current_user):
        abort(403)
    form = _upload_form()
    if form.validate_on_submit():
        team = db.session.get(Team, form.team.data) if form.team.data else None
        upload = form.file.data
        preview = uploads.preview(upload.read(), upload.filename or "upload.csv", team, actor=current_user)
        db.session.commit()
        return render_template("proposals/import.html", form=form, preview=preview, decision=ImportDecisionForm(),
                               columns=COLUMNS)
    return render_template("proposals/import.html", form=form, columns=COLUMNS)


@bp.post("/<token>")
def decide(token: str):
    if not permissions.can_import_ideas(current_user):
        abort(403)
    if not ImportDecisionForm().validate_on_submit():
        abort(400)
    choice = request.form.get("choice")
    if choice == "cancel":
        uploads.cancel(token, actor=current_user)
        db.session.commit()
        flash(_("The file was not imported."), "info")
        return render_template("proposals/import.html", form=_upload_form(), columns=COLUMNS)
    if choice not in ("all", "good_rows"):
        abort(400)
    report = uploads.save(token, good_rows_only=choice == "good_rows", actor=current_user)
    if report.written:
        db.session.commit()
    else:
        db.session.rollback()
    return render_template("proposals/import.html", form=_upload_form(), result=report, columns=COLUMNS)
