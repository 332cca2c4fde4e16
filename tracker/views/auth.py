"""Signing in and out, and changing one's password."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.extensions import db, limiter
from tracker.forms.accounts import ActionForm
from tracker.forms.auth import LoginForm, PasswordChangeForm
from tracker.services import accounts, audit, mail
from tracker.services.errors import ValidationFailed
from tracker.web.navigation import home, is_local_path
from tracker.web.security import SESSION_ID
from tracker.web.support import attempt

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _identifier() -> str:
    """The account being tried, whatever the body: the form's field, or a JSON body's (which the
    sign-in form never reads, so it signs no one in, but its guesses count all the same)."""
    typed = request.form.get("identifier")
    if typed is None and request.is_json:
        body = request.get_json(silent=True)
        typed = body.get("identifier") if isinstance(body, dict) and isinstance(body.get("identifier"), str) else None
    return accounts.normalised_identifier(typed)


def _account_key() -> str:
    """Failed attempts on one account from one address: someone who guesses another person's
    account locks out only themselves, never its owner at their own desk."""
    return f"account:{_identifier()}@{request.remote_addr}"


def _spread_key() -> str:
    """Failed attempts on one account from anywhere: a slower limit against guessing from many addresses."""
    return f"account-anywhere:{_identifier()}"


def _failed(response) -> bool:
    """Only failed sign-ins count against the limits (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_ANYWHERE"], methods=["POST"],
               key_func=_spread_key, deduct_when=_failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        attempt = accounts.authenticate(form.identifier.data, form.password.data, address=request.remote_addr)
        if attempt.user is not None:
            session_id = accounts.start_session(attempt.user)
            db.session.commit()
            session.clear()  # a new session: nothing from before sign-in carries over
            session.permanent = True
            login_user(attempt.user, remember=False)
            session[SESSION_ID] = session_id
            target = request.args.get("next", "")
            return redirect(target if is_local_path(target) else home(attempt.user))
        db.session.commit()
        flash(str(attempt.refusal or _("The e-mail/staff ID or the password is not right.")), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    accounts.end_session(session.get(SESSION_ID))
    audit.record("logout", actor=current_user, subject=current_user, address=request.remote_addr)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", action=ActionForm(), mail_offered=mail.configured())


@bp.post("/account/email")
@login_required
def email_choice():
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(lambda: mail.set_choice(current_user, request.form.get("email_notifications", "")),
            _("Your choice for notifications by e-mail is saved."))
    return redirect(url_for("auth.account"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not ActionForm().validate_on_submit():
        abort(400)
    accounts.end_every_session(current_user, actor=current_user, address=request.remote_addr)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out on every browser and device."), "info")
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
            return redirect(home(current_user))
    return render_template("auth/password.html", form=form)


def _add_errors(form, failure: ValidationFailed) -> None:
    for field, message in failure.reasons:
        getattr(form, field).errors.append(message)
