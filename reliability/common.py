"""Shared by the reliability scripts: a fresh database seeded through the app's own CLI and
services, gunicorn servers on 127.0.0.1, signed-in HTTP clients, form reading, and the checks
of the history that every script ends with.

The database is RELIABILITY_DATABASE_URL for PostgreSQL (default
postgresql+psycopg://postgres@127.0.0.1:5432/reliability, created when missing and emptied with
DROP SCHEMA for every run, so give it a database of its own) or a SQLite file in a temporary folder.
"""
import html.parser
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import MentorKind, Proposal, ProposalRevision, Role, Stage, StageChange  # noqa: E402
from tracker.services import accounts, board, reviews, teams, workflow  # noqa: E402
from tracker.services.proposals import editing, new_ideas  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "reliable-password-1"
TEAM = "소소기획단 2기"
RETRY_TEXT = "잠시 후 다시 시도해 주세요"  # the 503 page (Korean, the default language)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/reliability"
PROTECTED = {"test", "postgres", "template0", "template1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_url() -> str:
    return os.environ.get("RELIABILITY_DATABASE_URL", DEFAULT_PG)


def fresh_database(kind: str, tmp: Path) -> str:
    """A SQLite file in ``tmp``, or the PostgreSQL database emptied (created when missing)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'reliability.sqlite'}"
    url = sa.engine.make_url(postgres_url())
    if url.database in PROTECTED:
        raise SystemExit(f"refusing to empty the database {url.database!r}: give the scripts one of their own")
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url.render_as_string(hide_password=False)


def flask_cli(db_url: str, instance: Path, *args: str) -> None:
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY="seed", TRACKER_INSTANCE_PATH=str(instance),
               FLASK_APP="app")
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@dataclass
class Seed:
    team_id: int
    proposal_ids: list[int]
    people: dict[str, list[str]]  # role -> staff IDs
    subcommittee_of: dict[str, int] = field(default_factory=dict)  # member staff ID -> subcommittee id
    proposals_of: dict[int, list[int]] = field(default_factory=dict)  # subcommittee id -> proposal ids
    editable: list[int] = field(default_factory=list)  # at idea or developing: members may edit them


def seed(db_url: str, instance: Path, *, members: int = 12, mentors: int = 4, managers: int = 2,
         proposals: int = 10) -> Seed:
    """Migrate and load the programme with the CLI, then people and proposals through the services:
    members and mentors in two subcommittees, managers, and proposals at various stages."""
    flask_cli(db_url, instance, "db", "upgrade")
    flask_cli(db_url, instance, "tracker", "load-programme")
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "seed"})
    with app.app_context(), app.test_request_context():
        team = teams.find_team(TEAM)
        subs = team.subcommittees[:2]
        password_hash = accounts.hash_password(PASSWORD)

        def person(staff_id: str, name: str, role: Role):
            user, _temporary = accounts.create_account(
                accounts.NewAccount(name=name, staff_id=staff_id, roles=(role,)), actor=None, address=None)
            user.password_hash, user.must_change_password = password_hash, False
            return user

        people = {"member": [], "mentor": [], "manager": []}
        made = {"member": [], "mentor": [], "manager": []}
        subcommittee_of = {}
        for n in range(members):
            sub = subs[n % 2]
            user = person(f"r-member-{n}", f"단원{n}", Role.MEMBER)
            teams.add_member(team, user, subcommittee=sub, department="기획예산과")
            people["member"].append(user.staff_id)
            made["member"].append(user)
            subcommittee_of[user.staff_id] = sub.id
        for n in range(mentors):
            user = person(f"r-mentor-{n}", f"멘토{n}", Role.MENTOR)
            teams.assign_mentor(user, subs[n % 2], kind=MentorKind.EXTERNAL_EXPERT, organisation="경주대학교")
            people["mentor"].append(user.staff_id)
            made["mentor"].append(user)
        for n in range(managers):
            user = person(f"r-manager-{n}", f"운영{n}", Role.MANAGER)
            people["manager"].append(user.staff_id)
            made["manager"].append(user)
        db.session.commit()

        manager = made["manager"][0]
        ids, proposals_of = [], {s.id: [] for s in subs}
        plan = [Stage.IDEA, Stage.DEVELOPING, Stage.IN_REVIEW, Stage.SHORTLISTED]
        for n in range(proposals):
            sub = subs[n % 2]
            authors = [u for u in made["member"] if subcommittee_of[u.staff_id] == sub.id]
            author = authors[n % len(authors)]
            proposal = new_ideas.log_idea(team, title=f"신뢰성 제안 {n}", summary=f"요약 {n}", subcommittee_id=sub.id,
                                      actor=author)
            draft = editing.draft_of(proposal)
            draft.problem, draft.proposal_text = f"현황 {n}", f"제안 내용 {n}"
            draft.expected_effect, draft.department = f"기대효과 {n}", "기획예산과"
            draft.coauthor_ids = list(dict.fromkeys([author.id] + [a.id for a in authors[:2]]))
            editing.save(proposal, draft, base_version=proposal.version, actor=author)
            target = plan[n % len(plan)] if n else Stage.IN_REVIEW
            if target != Stage.IDEA:
                workflow.move(proposal, "develop", actor=author)
            if target in (Stage.IN_REVIEW, Stage.SHORTLISTED):
                workflow.move(proposal, "submit", actor=author)
            if target == Stage.SHORTLISTED:
                mentor = next(m for i, m in enumerate(made["mentor"]) if subs[i % 2] is sub)
                rubric = reviews.current_rubric(team)
                reviews.submit_review(proposal, mentor=mentor, scores={c.id: 4 for c in rubric.criteria},
                                      comment="좋습니다", recommendation=reviews.Recommendation.APPROVE)
                workflow.move(proposal, "shortlist", actor=manager)
            db.session.commit()
            ids.append(proposal.id)
            proposals_of[sub.id].append(proposal.id)
        editable = [p for p in ids if db.session.get(Proposal, p).stage in (Stage.IDEA, Stage.DEVELOPING)]
        result = Seed(team.id, ids, people, subcommittee_of, proposals_of, editable)
        db.session.remove()
        db.engine.dispose()
    return result


class Server:
    """gunicorn with the production settings (``make serve``: sync workers) on a free port."""

    def __init__(self, db_url: str, tmp: Path, *, name: str = "a", secret: str | None = None,
                 workers: int = 2, env: dict | None = None, wsgi: str = "app:app", ready: str = "/healthz"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"gunicorn-{name}.log"
        instance = tmp / f"instance-{name}"
        instance.mkdir(exist_ok=True)
        full_env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY=secret or secrets.token_hex(32),
                        TRACKER_INSTANCE_PATH=str(instance), **(env or {}))
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", wsgi], cwd=ROOT, env=full_env,
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.base}{ready}", timeout=5).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer on {self.base}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def first_trace(self, lines: int = 12) -> str:
        """The end of the first stack trace in the server's log (where the app went wrong), or ''."""
        text = self.log()
        start = text.find("Traceback")
        if start < 0:
            return ""
        end = text.find("\n[", start)
        trace = text[start:end if end > 0 else None].splitlines()
        ours = [line for line in trace if "/tracker/" in line or "/templates/" in line]  # the app's own frames
        return "\n".join("    " + line for line in ours + ["    ..."] + trace[-lines:])


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(base: str, staff_id: str, password: str = PASSWORD, session: requests.Session | None = None
            ) -> requests.Session:
    session = session or requests.Session()
    form = session.get(f"{base}/auth/login", timeout=30).text
    response = session.post(f"{base}/auth/login", allow_redirects=False, timeout=30,
                            data={"csrf_token": csrf_token(form), "identifier": staff_id, "password": password})
    assert response.status_code == 302, f"sign-in of {staff_id} failed: {response.status_code}"
    return session


class FormReader(html.parser.HTMLParser):
    """The fields of the first form whose action ends with ``suffix`` (empty: the first post form
    without an action, which posts to its own page), as a browser would post them."""

    def __init__(self, suffix: str):
        super().__init__()
        self.suffix, self.inside, self.done = suffix, False, False
        self.fields: list[tuple[str, str]] = []
        self._select, self._textarea, self._text = None, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done:
            action = a.get("action")
            if (action or "").split("?")[0].endswith(self.suffix) if self.suffix else \
                    action is None and (a.get("method") or "").lower() == "post":
                self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def read_form(page: str, suffix: str) -> list[tuple[str, str]]:
    reader = FormReader(suffix)
    reader.feed(page)
    return reader.fields


def move_actions(page: str, proposal_id: int) -> list[str]:
    return sorted(set(re.findall(rf'action="/proposals/{proposal_id}/move/([a-z_]+)"', page)))


def flashed(page: str) -> str | None:
    """'info' or 'error': the kind of the first flashed message on a page, if any."""
    found = re.search(r'class="flash flash-(\w+)"', page)
    return found.group(1) if found else None


def app_for(db_url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "check"})


def check_history(db_url: str, team_id: int, seen_moves: dict[str, str], *, first_change_id: int,
                  unknown_notes: set[str] = frozenset()) -> list[str]:
    """Problems in the history (empty: all well).

    ``seen_moves``: note -> action of every move a client saw succeed. Each must be in the history
    exactly once; every change written after ``first_change_id`` must be one the clients saw (or one
    whose answer they lost: ``unknown_notes``). Each proposal's stage is its last change's, and each
    change starts where the one before ended. The board's counts are the rows in the table."""
    problems = []
    app = app_for(db_url)
    with app.app_context(), app.test_request_context():
        changes = db.session.scalars(sa.select(StageChange).order_by(StageChange.id)).all()
        by_note: dict[str, list[StageChange]] = {}
        for change in changes:
            if change.id > first_change_id:
                by_note.setdefault(change.note or "", []).append(change)
        for note, action in seen_moves.items():
            found = by_note.get(note, [])
            if len(found) != 1:
                problems.append(f"move {note} ({action}) seen to succeed is in the history {len(found)} times")
            elif found[0].action != action:
                problems.append(f"move {note}: history says {found[0].action}, client did {action}")
        for note, found in by_note.items():
            if note not in seen_moves and note not in unknown_notes:
                problems.append(f"{len(found)} change(s) with note {note!r} that no client saw succeed")
        last: dict[int, StageChange] = {}
        for change in changes:
            before = last.get(change.proposal_id)
            if before is not None and change.from_stage != before.to_stage:
                problems.append(f"proposal {change.proposal_id}: change {change.id} starts at {change.from_stage}, "
                                f"the one before ended at {before.to_stage}")
            last[change.proposal_id] = change
        stages = dict(db.session.execute(sa.select(Proposal.id, Proposal.stage)).all())
        for pid, stage in stages.items():
            if pid in last and last[pid].to_stage != stage:
                problems.append(f"proposal {pid} is at {stage}, its last history entry says {last[pid].to_stage}")
        team = teams.find_team(TEAM)
        manager = accounts.find_by_identifier("r-manager-0")
        counts = board.board(team, manager).counts
        rows = dict(db.session.execute(sa.select(Proposal.stage, sa.func.count()).where(
            Proposal.team_id == team_id).group_by(Proposal.stage)).all())
        if {s: n for s, n in counts.items() if n} != {s: n for s, n in rows.items() if n}:
            problems.append(f"board counts {dict(counts)} differ from the rows {rows}")
        db.session.remove()
        db.engine.dispose()
    return problems


def check_edits(db_url: str, saves: list[dict]) -> list[str]:
    """Every save a client saw succeed is one revision that replaced exactly the value that client
    saw in the form (else it overwrote someone else's text without a conflict), and each field
    ends as its last revision left it."""
    problems = []
    app = app_for(db_url)
    with app.app_context():
        revisions = db.session.scalars(sa.select(ProposalRevision).order_by(ProposalRevision.id)).all()
        by_value: dict[tuple[int, str, str], list[ProposalRevision]] = {}
        last: dict[tuple[int, str], object] = {}
        for revision in revisions:
            for key, (_old, new) in revision.changes.items():
                by_value.setdefault((revision.proposal_id, key, str(new)), []).append(revision)
                last[(revision.proposal_id, key)] = new
        for save in saves:
            found = by_value.get((save["proposal"], save["field"], save["value"]), [])
            if len(found) != 1:
                problems.append(f"save {save['value']} is in {len(found)} revisions")
                continue
            old = found[0].changes[save["field"]][0]
            if (old or "") != save["seen"]:
                problems.append(f"save {save['value']} on {save['proposal']} replaced {old!r}, "
                                f"but the form showed {save['seen']!r}: a silent overwrite")
        fields = {(s["proposal"], s["field"]) for s in saves}
        for pid, key in fields:
            proposal = db.session.get(Proposal, pid)
            if getattr(proposal, key) != last[(pid, key)]:
                problems.append(f"proposal {pid} {key} is {getattr(proposal, key)!r}, last revision says "
                                f"{last[(pid, key)]!r}")
        db.session.remove()
        db.engine.dispose()
    return problems


def last_change_id(db_url: str) -> int:
    app = app_for(db_url)
    with app.app_context():
        found = db.session.scalar(sa.select(sa.func.max(StageChange.id))) or 0
        db.session.remove()
        db.engine.dispose()
    return found
