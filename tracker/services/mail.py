"""Notifications by e-mail beside 알림, through the city's SMTP relay: each person chooses none, one
mail per notification, or a daily digest. Mail is sent by commands run from cron (`flask tracker
send-mail` every few minutes, `flask tracker send-digest` each morning), never inside a request, so
a relay that is down delays mail and nothing else. Without a relay configured nothing changes."""
import smtplib
from email.message import EmailMessage
from email.utils import formataddr

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.extensions import db
from tracker.models import Notification, User
from tracker.services import notifications
from tracker.services.errors import ValidationFailed

CHOICES = ("off", "each", "daily")


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def set_choice(user: User, choice: str) -> None:
    if choice not in CHOICES:
        raise ValidationFailed([("email_notifications", _("Choose how to receive notifications."))])
    if choice != "off" and not user.email:
        raise ValidationFailed([("email_notifications", _("Your account has no e-mail address: ask a manager to "
                                                          "add it first."))])
    user.email_notifications = choice
    db.session.flush()


def describe(notification: Notification) -> str:
    """One notification in words (as the 알림 list says it), with its proposal's title."""
    title = notification.proposal.title if notification.proposal else ""
    return f"{notifications.lead(notification)} {title}".strip()


def _link(notification: Notification) -> str:
    return f"{current_app.config.get('BASE_URL', '').rstrip('/')}/notifications/{notification.id}"


def _pending(choice: str) -> list[Notification]:
    return list(db.session.scalars(
        sa.select(Notification).join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None),
               User.email_notifications == choice, User.email.is_not(None), User.is_active.is_(True))
        .options(joinedload(Notification.user), joinedload(Notification.actor), joinedload(Notification.proposal))
        .order_by(Notification.user_id, Notification.id)))


def send_each() -> int:
    """One e-mail per unread notification of the people who chose "each"; returns how many sent."""
    if not configured():
        return 0
    sent = 0
    with _relay() as relay:
        for notification in _pending("each"):
            with force_locale("ko"):
                text = describe(notification)
                body = _("%(what)s\n\nOpen it: %(link)s\n\nYou receive this because you chose e-mail for your "
                         "notifications (내 계정).", what=text, link=_link(notification))
            relay.send_message(_message(notification.user, f"[정책 아이디어 관리] {text}", body))
            notification.emailed_at = clock.now()
            sent += 1
    db.session.flush()
    return sent


def send_digest() -> int:
    """One e-mail per person who chose the daily digest, listing their unread notifications not yet
    mailed; returns how many e-mails."""
    if not configured():
        return 0
    by_person: dict[int, list[Notification]] = {}
    for notification in _pending("daily"):
        by_person.setdefault(notification.user_id, []).append(notification)
    with _relay() as relay:
        for pending in by_person.values():
            user = pending[0].user
            with force_locale("ko"):
                lines = [f"- {describe(n)}\n  {_link(n)}" for n in pending]
                subject = "[정책 아이디어 관리] " + _("%(num)d new notifications", num=len(pending))
                body = _("Your notifications since the last digest:") + "\n\n" + "\n".join(lines)
            relay.send_message(_message(user, subject, body))
            for notification in pending:
                notification.emailed_at = clock.now()
    db.session.flush()
    return len(by_person)


def _message(user: User, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = formataddr((user.name, user.email))
    message["Subject"] = subject
    message.set_content(body, charset="utf-8")
    return message


class _relay:
    """An SMTP connection for one run (STARTTLS and a login when configured)."""

    def __enter__(self) -> smtplib.SMTP:
        config = current_app.config
        self.smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
        if config.get("MAIL_STARTTLS"):
            self.smtp.starttls()
        if config.get("MAIL_USERNAME"):
            self.smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        return self.smtp

    def __exit__(self, *_exc) -> None:
        self.smtp.quit()
