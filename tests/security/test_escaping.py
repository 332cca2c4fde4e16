"""User text is shown as text: script and HTML in every field stay inert on every page."""
import re

import sqlalchemy as sa

from markupsafe import escape

from tests.factories import csv_bytes
from tracker.extensions import db
from tracker.importers import import_ideas
from tracker.models import Proposal

PAYLOADS = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>',
            "javascript:alert(1)", "{{ 7*7 }}"]
FIELDS = ["제목", "요약", "현황", "제안내용", "기대효과", "대상", "담당부서", "제안자", "비고"]


def test_payloads_in_every_text_field_are_shown_as_text(programme, manager_client):
    header = ["기수", *FIELDS, "단계"]
    rows = [header] + [["소소기획단 2기", *[f"{field}{n} {payload}" for field in FIELDS], "아이디어"]
                       for n, payload in enumerate(PAYLOADS)]
    assert import_ideas(csv_bytes(rows), "xss.csv").ok
    db.session.commit()
    changed = [r[:] for r in rows]
    for row in changed[1:]:
        row[2] += " (수정)"  # an edit history with the payloads in it too
    assert import_ideas(csv_bytes(changed), "xss-2.csv").ok
    db.session.commit()

    ids = db.session.scalars(sa.select(Proposal.id).where(Proposal.title.like("제목%"))).all()
    assert len(ids) == len(PAYLOADS)
    for url in ["/proposals/", "/proposals/?q=script", "/teams/", *[f"/proposals/{pid}" for pid in ids]]:
        html = manager_client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg" not in html, url
        assert not re.search(r"<[^>]+\son\w+=", html), url
    for pid in ids:
        html = manager_client.get(f"/proposals/{pid}").get_data(as_text=True)
        title = db.session.get(Proposal, pid).title  # "제목{n} {payload}"
        payload = PAYLOADS[int(title.split(" ", 1)[0].removeprefix("제목"))]
        for field in set(FIELDS) - {"제안자"}:  # every field shows its text, escaped (authors split at "/")
            assert str(escape(f"{field}{PAYLOADS.index(payload)} {payload}")) in html, field
