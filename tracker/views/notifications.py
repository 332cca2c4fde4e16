"""A person's notifications: mentions and comments on their proposals (reviews come later)."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from tracker import permissions
from tracker.extensions import db
from tracker.forms.accounts import ActionForm
from tracker.services import follow_up, notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
def index():
    late = []
    if permissions.can_view_follow_up(current_user):  # liaisons and managers: department deadlines missed
        late = [r for r in follow_up.follow_up_rows(permissions.followed_proposals(current_user)) if r.late]
    return render_template("notifications/index.html", notifications=notifications.notifications_for(current_user),
                           action=ActionForm(), late=late)


@bp.get("/<id:notification_id>")
def open_one(notification_id: int):
    """Opening a notification marks it read and goes to what it is about."""
    notification = notifications.open_notification(current_user, notification_id)
    db.session.commit()
    if notification.proposal_id is None:
        return redirect(url_for("notifications.index"))
    anchor = "comments" if notification.comment_id else None
    return redirect(url_for("proposals.detail", proposal_id=notification.proposal_id, _anchor=anchor))


@bp.post("/read")
def mark_read():
    if ActionForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.app_template_filter("notification_lead")
def notification_lead(notification) -> str:
    return notifications.lead(notification)
