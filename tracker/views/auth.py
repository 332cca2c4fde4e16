"""Signing in and out, and changing one's password."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.extensions import db, limiter
from tracker.forms.auth import LoginForm, PasswordChangeForm
from tracker.services import accounts, audit
from tracker.services.errors import ValidationFailed
from tracker.views.navigation import is_local_path

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _account_key() -> str:
    """Rate-limit key for the account being tried, whatever address it is tried from."""
    return "account:" + (request.form.get("identifier") or "").strip().lower()[:254]


def _failed(response) -> bool:
    """Only failed sign-ins count against the limits (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.identifier.data, form.password.data, address=request.remote_addr)
        db.session.commit()
        if user is not None:
            session.clear()  # a new session: nothing from before sign-in carries over
            session.permanent = True
            login_user(user, remember=False)
            target = request.args.get("next", "")
            return redirect(target if is_local_path(target) else url_for("teams.index"))
        flash(_("The e-mail/staff ID or the password is not right."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    audit.record("logout", actor=current_user, subject=current_user, address=request.remote_addr)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.new_password.data,
                                     address=request.remote_addr)
        except ValidationFailed as failure:
            _add_errors(form, failure)
        else:
            db.session.commit()
            login_user(current_user._get_current_object(), remember=False)  # the new session version
            flash(_("Your password has been changed."), "info")
            return redirect(url_for("teams.index"))
    return render_template("auth/password.html", form=form)


def _add_errors(form, failure: ValidationFailed) -> None:
    for field, message in failure.reasons:
        getattr(form, field).errors.append(message)
