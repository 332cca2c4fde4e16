"""Personal data: the processing notice (public), its editing (admins), a person's own data, and
the retention list (admins)."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock, permissions
from tracker.extensions import db
from tracker.formatting import current_language
from tracker.forms.accounts import ActionForm
from tracker.forms.privacy import NoticeForm
from tracker.services import privacy
from tracker.web.support import attempt

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def notice():
    return render_template("privacy/notice.html", notice=privacy.notice_html(current_language()))


@bp.route("/privacy/edit", methods=["GET", "POST"])
def edit_notice():
    if not permissions.can_edit_privacy_notice(current_user):
        abort(403)
    form = NoticeForm(data={"korean": privacy.notice_source("ko"), "english": privacy.notice_source("en")})
    if form.validate_on_submit() and attempt(
            lambda: privacy.save_notice(form.korean.data, form.english.data, actor=current_user),
            _("The privacy notice is saved."), form=form):
        return redirect(url_for("privacy.notice"))
    return render_template("privacy/edit.html", form=form)


@bp.get("/auth/account/data.json")
def my_data_json():
    response = jsonify(privacy.my_data(current_user))
    response.headers["Content-Disposition"] = f'attachment; filename="my-data-{clock.today().isoformat()}.json"'
    return response


@bp.get("/auth/account/data")
def my_data_page():
    return render_template("privacy/my_data.html", data=privacy.my_data(current_user), today=clock.today())


@bp.route("/accounts/retention", methods=["GET", "POST"])
def retention():
    if not permissions.can_run_retention(current_user):
        abort(403)
    due = privacy.due()
    form = ActionForm()
    if form.validate_on_submit():
        done = privacy.pseudonymise(due, actor=current_user)
        db.session.commit()
        flash(_("%(num)d people pseudonymised; their proposals and reviews stay under the pseudonym.", num=done),
              "info")
        return redirect(url_for("privacy.retention"))
    return render_template("privacy/retention.html", due=due, form=form, settings=privacy.retention())
