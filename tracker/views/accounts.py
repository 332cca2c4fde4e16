"""Account management for managers and admins: list, create, roles, reset, (de)activate."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from tracker import permissions
from tracker.extensions import db
from tracker.formatting import subcommittee_name
from tracker.forms.accounts import AccountForm, ActionForm, PeopleImportForm, PlacementForm, RolesForm
from tracker.importers.people import import_people
from tracker.models import Subcommittee
from tracker.services import accounts, audit
from tracker.services import teams as team_service
from tracker.services.errors import NotAllowed, ValidationFailed
from tracker.web.support import attempt

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.before_request
def managers_only():
    if not permissions.can_manage_accounts(current_user):
        abort(403)


def _account_or_404(user_id: int):
    user = accounts.get_account(user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
def index():
    return render_template("accounts/index.html", users=accounts.list_accounts(), action=ActionForm())


def _placements(with_none: bool) -> tuple[list[SelectChoice], dict[int, Subcommittee]]:
    """The subcommittees of the cohorts still running, as a choice "소소기획단 2기 · 청년‧인구"."""
    found = {s.id: s for t in team_service.active_teams() for s in t.subcommittees}
    choices = [SelectChoice(s.id, f"{s.team.name} · {subcommittee_name(s)}") for s in found.values()]
    return ([SelectChoice("", _("No cohort (a mentor, a liaison or a manager)"))] if with_none else []) + choices, found


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = AccountForm()
    form.subcommittee.choices, subcommittees = _placements(with_none=True)
    if form.validate_on_submit():
        account = accounts.NewAccount(
            name=form.name.data, email=form.email.data, staff_id=form.staff_id.data,
            department=form.department.data, roles=tuple(sorted(form.roles.roles())),
            subcommittee=subcommittees.get(form.subcommittee.data))
        try:
            user, password = accounts.create_account(account, actor=current_user, address=request.remote_addr)
        except ValidationFailed as failure:
            for field, message in failure.reasons:
                getattr(form, field).errors.append(message)
        except NotAllowed:
            form.roles.errors.append(_("Only an admin can give the admin role."))
        else:
            db.session.commit()
            return render_template("accounts/created.html", user=user, password=password)
    return render_template("accounts/new.html", form=form)


@bp.route("/<id:user_id>", methods=["GET", "POST"])
def detail(user_id: int):
    user = _account_or_404(user_id)
    form = RolesForm(data={"roles": [r.value for r in user.role_set]})
    if form.validate_on_submit():
        try:
            accounts.set_roles(user, form.roles.roles(), actor=current_user, address=request.remote_addr)
        except ValidationFailed as failure:
            form.roles.errors.extend(message for _, message in failure.reasons)
        else:
            db.session.commit()
            flash(_("The roles have been saved."), "info")
            return redirect(url_for("accounts.detail", user_id=user.id))
    placement = PlacementForm(data={"subcommittee": next(
        (m.subcommittee_id for m in team_service.memberships_of(user)), None)})
    placement.subcommittee.choices, _found = _placements(with_none=False)
    return render_template("accounts/detail.html", user=user, form=form, action=ActionForm(), placement=placement,
                           memberships=team_service.memberships_of(user))


@bp.post("/<id:user_id>/placement")
def place(user_id: int):
    user = _account_or_404(user_id)
    form = PlacementForm()
    form.subcommittee.choices, subcommittees = _placements(with_none=False)
    subcommittee = subcommittees.get(form.subcommittee.data) if form.validate_on_submit() else None
    if subcommittee is None:
        flash(_("Choose a subcommittee."), "error")
    else:
        attempt(lambda: accounts.place_member(user, subcommittee, actor=current_user),
                _("%(name)s is now in %(team)s, %(subcommittee)s.", name=user.name, team=subcommittee.team.name,
                  subcommittee=subcommittee_name(subcommittee)))
    return redirect(url_for("accounts.detail", user_id=user.id))


@bp.post("/<id:user_id>/active/<int:active>")
def set_active(user_id: int, active: int):
    user = _account_or_404(user_id)
    if ActionForm().validate_on_submit():
        try:
            accounts.set_active(user, bool(active), actor=current_user, address=request.remote_addr)
        except ValidationFailed as failure:
            flash(failure.reasons[0][1], "error")
        else:
            db.session.commit()
            flash(_("The account has been activated.") if active else
                  _("The account has been deactivated; its sessions have ended."), "info")
    return redirect(url_for("accounts.detail", user_id=user.id))


@bp.post("/<id:user_id>/reset-password")
def reset_password(user_id: int):
    user = _account_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = accounts.reset_password(user, actor=current_user, address=request.remote_addr)
    db.session.commit()
    return render_template("accounts/created.html", user=user, password=password, reset=True)


@bp.post("/<id:user_id>/sign-out")
def sign_out_everywhere(user_id: int):
    user = _account_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    ended = accounts.end_every_session(user, actor=current_user, address=request.remote_addr)
    db.session.commit()
    flash(ngettext("%(num)d session of %(name)s has ended.", "%(num)d sessions of %(name)s have ended.", ended,
                   name=user.name), "info")
    return redirect(url_for("accounts.detail", user_id=user.id))


@bp.get("/audit")
def audit_log():
    kind = request.args.get("event") or None
    rows, total, page, pages = audit.events(kind, request.args.get("page", 1, type=int))
    return render_template("accounts/audit.html", rows=rows, total=total, page=page, pages=pages, kind=kind,
                           kinds=audit.EVENTS)


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    form = PeopleImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = import_people(upload.read(), upload.filename or "upload.csv", actor=current_user,
                               address=request.remote_addr, dry_run=form.dry_run.data,
                               skip_invalid=form.skip_invalid.data)
        if report.written:
            db.session.commit()
        else:
            db.session.rollback()
    return render_template("accounts/import.html", form=form, report=report)
