"""Notifications by e-mail beside 알림, through a real SMTP server started by the test (aiosmtpd):
one mail per notification or a daily digest, Korean subject and body; without a relay, nothing."""
import email
import socket
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from tests.functional.cohort import signed_in
from tests.helpers import text_of
from tracker.extensions import db
from tracker.models import Notification, Stage
from tracker.services.proposals import comments


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="tracker@gyeongju.go.kr",
                      BASE_URL="https://idea.gyeongju.go.kr")
    yield inbox
    controller.stop()
    app.config.update(MAIL_SERVER=None)


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_one_mail_each_or_a_daily_digest_in_korean(app, cohort, smtp, runner):
    author, mentor = cohort.people["author"], cohort.people["mentor"]
    author.email, mentor.email = "minji@gyeongju.go.kr", "choi@dongguk.ac.kr"
    db.session.commit()
    proposal = cohort.proposal(Stage.DEVELOPING, title="빈집 청년주택")
    page = signed_in(app, author)
    assert "알림을 이메일로도 받기" in text_of(page.get("/auth/account"))
    page.post("/auth/account/email", data={"email_notifications": "each"})
    signed_in(app, mentor).post("/auth/account/email", data={"email_notifications": "daily"})
    db.session.refresh(author)
    assert author.email_notifications == "each"

    comments.add_comment(proposal, "좋은 아이디어입니다", actor=cohort.people["manager"])
    comments.add_comment(proposal, f"@{mentor.name}님 검토 부탁드립니다", actor=cohort.people["manager"])
    comments.add_comment(proposal, f"@{mentor.name}님 일정도 봐 주세요", actor=cohort.people["manager"])
    db.session.commit()
    # the author: a notification for each of the three comments on their proposal, a mail each
    assert "이메일 3통을 보냈습니다" in runner.invoke(args=["tracker", "send-mail"]).output
    each = smtp.messages[0]
    assert {m["To"] for m in smtp.messages} == {each["To"]}
    assert each["To"].endswith("<minji@gyeongju.go.kr>")
    assert subject(each) == "[정책 아이디어 관리] 운영담당 님이 내 제안에 댓글을 달았습니다: 빈집 청년주택"
    body = each.get_payload(decode=True).decode("utf-8")
    assert "https://idea.gyeongju.go.kr/notifications/" in body and "내 계정" in body
    runner.invoke(args=["tracker", "send-mail"])
    assert len(smtp.messages) == 3  # sent once

    runner.invoke(args=["tracker", "send-digest"])
    digest = smtp.messages[3]
    assert subject(digest) == "[정책 아이디어 관리] 새 알림 2건" and digest["To"].endswith("<choi@dongguk.ac.kr>")
    lines = digest.get_payload(decode=True).decode("utf-8")
    assert lines.count("운영담당 님이 나를 언급했습니다: 빈집 청년주택") == 2
    runner.invoke(args=["tracker", "send-digest"])
    assert len(smtp.messages) == 4
    assert db.session.query(Notification).filter(Notification.emailed_at.is_(None)).count() == 0


def test_without_a_relay_nothing_is_sent_or_offered(app, cohort, runner):
    assert app.config.get("MAIL_SERVER") is None
    page = text_of(signed_in(app, cohort.people["author"]).get("/auth/account"))
    assert "이메일로도" not in page
    mentor = cohort.people["mentor"]
    mentor.email, mentor.email_notifications = "mentor@example.org", "daily"  # chosen while a relay was set
    comments.add_comment(cohort.proposal(Stage.DEVELOPING), f"@{mentor.name}님 봐 주세요", actor=cohort.people["manager"])
    db.session.commit()
    for command in ("send-digest", "send-mail"):
        result = runner.invoke(args=["tracker", command])
        assert result.exit_code == 0 and "이메일 0통을 보냈습니다" in result.output
    assert db.session.scalar(sa.select(Notification.emailed_at).where(Notification.user_id == mentor.id)) is None
