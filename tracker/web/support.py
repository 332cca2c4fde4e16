"""What several views share: the team a URL names (if this person passes the rule), and a
service's reasons shown beside the form fields they are about."""
from flask import abort, flash, request
from flask_login import current_user

from tracker import permissions
from tracker.extensions import db
from tracker.services import teams
from tracker.services.errors import ValidationFailed
from tracker.services.proposals import queries


def viewer():
    """The signed-in person's account itself: ``current_user`` is a proxy that finds the account again
    on every attribute read, which a check repeated for each card or row pays each time."""
    return current_user._get_current_object()


def team_or_403(rule):
    """The team of the URL's ``team_id``; 403 unless ``rule(person, team)`` holds, 404 if there is
    none or the person may not see it (what one may not see does not exist for them)."""
    team = teams.get_team(request.view_args["team_id"])
    if not rule(current_user, team):
        abort(403 if permissions.can_view_team(current_user, team) else 404)
    return team


def visible_proposal(proposal_id: int):
    """The proposal (without its page's history: a write does not need it); 404 when there is none
    or the person may not see it."""
    proposal = queries.proposal(proposal_id)
    if not permissions.can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


def show_reasons(form, failure: ValidationFailed) -> None:
    """Each reason under its field; a reason about no field of the form becomes a message."""
    for name, message in failure.reasons:
        target = getattr(form, name, None)
        if target is None:
            flash(message, "error")
        else:
            target.errors = [*target.errors, message] if isinstance(target.errors, list) else [message]


def flash_reasons(failure: ValidationFailed) -> None:
    for _field, message in failure.reasons:
        flash(message, "error")


def flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")


def attempt(use_case, done: str | None = None, *, form=None) -> bool:
    """Run one use case as one transaction: commit it (and say ``done``), or roll all of it back
    and show the reasons it was refused (beside the ``form``'s fields, when there is one)."""
    try:
        use_case()
    except ValidationFailed as failure:
        db.session.rollback()
        if form is None:
            flash_reasons(failure)
        else:
            show_reasons(form, failure)
        return False
    db.session.commit()
    if done:
        flash(done, "info")
    return True
