"""Concurrency: 20 people at once on the same 10 proposals, against a real gunicorn (2 workers).

    .venv/bin/python reliability/concurrency.py sqlite|postgresql   [RELIABILITY_SECONDS=30]

A fresh database (reliability/common.py) with a team, members in two subcommittees, mentors,
managers and 10 proposals at various stages. 20 client threads, each a requests.Session signed in
through /auth/login as a different person, for RELIABILITY_SECONDS: members edit the proposals
(from the edit form with its hidden version, one field at a time, sometimes after a pause so that
others save first) and move them, mentors review (approve, or send back with a comment) and move,
managers read the board and the list and move. Every note and text is a unique token.

Then it checks: no 5xx answer (not even a 503: the database is up), every move a client saw succeed
is in the history exactly once and nothing else was written, each change starts where the last
ended and the proposal's stage is its last change's, the board's counts are the rows, every save
replaced exactly the text its form showed (a stale save must be a conflict, never an overwrite).
Exits 1 on any problem; prints one summary line per database.
"""
import collections
import os
import random
import re
import sys
import tempfile
import threading
import time
import shutil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reliability.common import (  # noqa: E402
    Server, check_edits, check_history, csrf_token, flashed, fresh_database, last_change_id, move_actions,
    read_form, seed, sign_in,
)

CLIENTS = {"member": 14, "mentor": 4, "manager": 2}
EDIT_FIELDS = ("summary", "problem", "beneficiaries", "notes")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.outcomes = collections.Counter()
        self.seen_moves: dict[str, str] = {}
        self.saves: list[dict] = []
        self.bad: list[str] = []
        self.requests = 0

    def add(self, **kwargs):
        with self.lock:
            for key, value in kwargs.items():
                if key == "outcome":
                    self.outcomes[value] += 1
                elif key == "move":
                    self.seen_moves[value[0]] = value[1]
                elif key == "save":
                    self.saves.append(value)
                elif key == "bad":
                    self.bad.append(value)


class Client(threading.Thread):
    def __init__(self, n: int, role: str, staff_id: str, base: str, proposals: list[int], tally: Tally,
                 stop: threading.Event, team_id: int):
        super().__init__(daemon=True)
        self.n, self.role, self.staff_id, self.base, self.team_id = n, role, staff_id, base, team_id
        self.proposals, self.tally, self.stop = proposals, tally, stop
        self.rng = random.Random(n)
        self.count = 0
        self.session = None
        self.error: BaseException | None = None

    def call(self, method: str, path: str, **kwargs):
        response = self.session.request(method, self.base + path, allow_redirects=False, timeout=60, **kwargs)
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.tally.add(bad=f"{method} {path}: {response.status_code} {response.text[:200]!r}")
        return response

    def token(self, kind: str) -> str:
        self.count += 1
        return f"{kind}-c{self.n}-{self.count}"

    def run(self):
        try:
            self.session = sign_in(self.base, self.staff_id)
            while not self.stop.is_set():
                getattr(self, f"step_{self.role}")()
        except BaseException as error:  # noqa: BLE001 -- reported by the main thread
            self.error = error

    # members: edit and move their subcommittee's proposals
    def step_member(self):
        pid = self.rng.choice(self.proposals)
        if self.rng.random() < 0.55:
            self.edit(pid)
        else:
            self.move(pid, avoid=("withdraw",) if self.rng.random() < 0.9 else ())

    def edit(self, pid: int):
        page = self.call("GET", f"/proposals/{pid}/edit")
        if page.status_code != 200:
            return self.tally.add(outcome="edit: not editable now" if page.status_code == 403 else
                                  f"edit: form {page.status_code}")
        fields = read_form(page.text, "")
        time.sleep(self.rng.uniform(0, 0.4))  # others may save meanwhile: this save is then stale
        key = self.rng.choice(EDIT_FIELDS)
        seen = next((v for k, v in fields if k == key), "")
        value = self.token(key)
        data = [(k, value if k == key else v) for k, v in fields]
        response = self.call("POST", f"/proposals/{pid}/edit", data=data)
        if response.status_code == 302:
            self.tally.add(outcome="edit: saved", save={"proposal": pid, "field": key, "seen": seen, "value": value})
        elif response.status_code == 200 and 'class="notice conflict"' in response.text:
            self.tally.add(outcome="edit: conflict shown")
        elif response.status_code == 200 and flashed(response.text) == "error":
            self.tally.add(outcome="edit: conflict shown")  # saved by someone at the same moment
        elif response.status_code in (403, 409):
            self.tally.add(outcome=f"edit: refused {response.status_code}")
        elif response.status_code < 500:
            self.tally.add(outcome="edit: unexpected", bad=f"edit {pid}: {response.status_code} "
                                                            f"{re.findall(r'class=.error[^>]*>([^<]*)', response.text)[:3]}")

    def move(self, pid: int, avoid=()):
        page = self.call("GET", f"/proposals/{pid}")
        if page.status_code != 200:
            return self.tally.add(outcome=f"view: {page.status_code}")
        actions = [a for a in move_actions(page.text, pid) if a not in avoid]
        if not actions:
            return self.tally.add(outcome="move: none open")
        action = self.rng.choice(actions)
        note = self.token("move")
        response = self.call("POST", f"/proposals/{pid}/move/{action}",
                             data={"csrf_token": csrf_token(page.text), "note": note})
        self.moved(response, pid, action, note)

    def moved(self, response, pid: int, action: str, note: str):
        if response.status_code == 302:
            self.after_move(self.call("GET", f"/proposals/{pid}"), pid, action, note)
        elif response.status_code in (403, 409):
            self.tally.add(outcome=f"move: refused {response.status_code}")
        elif response.status_code < 500:
            self.tally.add(outcome="move: unexpected", bad=f"move {pid} {action}: {response.status_code}")

    def after_move(self, after, pid: int, action: str, note: str):
        """The page the move redirected to: its message says whether the move was made."""
        kind = flashed(after.text)
        if kind == "info":
            self.tally.add(outcome="move: done", move=(note, action))
        elif kind == "error":
            self.tally.add(outcome="move: refused (guard or changed meanwhile)")
        else:
            self.tally.add(outcome="move: unexpected", bad=f"move {pid} {action}: no message after the redirect")

    # mentors: review what waits (approve, or send back with a comment), sometimes move
    def step_mentor(self):
        queue = self.call("GET", "/reviews/")
        if queue.status_code != 200:
            return self.tally.add(outcome=f"read: {queue.status_code}")
        waiting = sorted(set(int(i) for i in re.findall(r'href="/reviews/proposals/(\d+)"', queue.text)))
        if waiting and self.rng.random() < 0.7:
            self.review(self.rng.choice(waiting))
        else:
            self.move(self.rng.choice(self.proposals))

    def review(self, pid: int):
        page = self.call("GET", f"/reviews/proposals/{pid}")
        if page.status_code != 200:
            return self.tally.add(outcome="review: not open now" if page.status_code in (302, 403) else
                                  f"review: form {page.status_code}")
        scores = sorted(set(re.findall(r'name="(score_\d+)"', page.text)))
        revise = self.rng.random() < 0.5
        comment = self.token("review")
        data = {"csrf_token": csrf_token(page.text), "recommendation": "revise" if revise else "approve",
                "comment": comment, **{s: str(self.rng.randint(1, 5)) for s in scores}}
        time.sleep(self.rng.uniform(0, 0.2))
        response = self.call("POST", f"/reviews/proposals/{pid}", data=data)
        if response.status_code == 302 and response.headers["Location"].rstrip("/").endswith("/reviews"):
            self.tally.add(outcome="review: saved", **({"move": (comment, "request_changes")} if revise else {}))
        elif response.status_code in (302, 403, 409):
            self.tally.add(outcome="review: refused (reviewed or moved meanwhile)")
        elif response.status_code < 500:
            self.tally.add(outcome="review: unexpected", bad=f"review {pid}: {response.status_code}")

    # managers: read the board and the list, move
    def step_manager(self):
        for path in (f"/teams/{self.team_id}/board", f"/proposals/?team={self.team_id}"):
            response = self.call("GET", path)
            if response.status_code != 200 and response.status_code < 500:  # 5xx: counted by call()
                self.tally.add(outcome="read: unexpected", bad=f"{path}: {response.status_code}")
        # mostly bring proposals back into play, so that the others keep finding work
        self.move(self.rng.choice(self.proposals),
                  avoid=("withdraw", "shortlist", "present") if self.rng.random() < 0.8 else ())


def run(kind: str, seconds: float) -> tuple[bool, str]:
    tmp = Path(tempfile.mkdtemp(prefix=f"reliability-concurrency-{kind}-"))
    server = None
    try:
        db_url = fresh_database(kind, tmp)
        seeded = seed(db_url, tmp / "instance-seed")
        first_change = last_change_id(db_url)
        server = Server(db_url, tmp)
        tally, stop = Tally(), threading.Event()
        clients, n = [], 0
        for role, count in CLIENTS.items():
            for i in range(count):
                staff_id = seeded.people[role][i % len(seeded.people[role])]
                if role == "member":
                    proposals = seeded.proposals_of[seeded.subcommittee_of[staff_id]]
                elif role == "mentor":
                    proposals = list(seeded.proposals_of.values())[i % 2]
                else:
                    proposals = seeded.proposal_ids
                client = Client(n, role, staff_id, server.base, proposals, tally, stop, seeded.team_id)
                clients.append(client)
                n += 1
        started = time.monotonic()
        for client in clients:
            client.start()
        time.sleep(seconds)
        stop.set()
        for client in clients:
            client.join(timeout=120)
        elapsed = time.monotonic() - started
        server.stop()
        problems = [f"client {c.n} ({c.role}) stopped: {c.error!r}" for c in clients if c.error]
        problems += tally.bad[:20]
        problems += check_history(db_url, seeded.team_id, tally.seen_moves, first_change_id=first_change)
        problems += check_edits(db_url, tally.saves)
        traces = server.log().count("Traceback")
        if traces:
            problems.append(f"{traces} stack trace(s) in the gunicorn log")
        fives = sum(n for status, n in tally.statuses.items() if status >= 500)
        summary = (f"concurrency/{kind}: {len(clients)} clients, {elapsed:.0f} s, {tally.requests} requests "
                   f"({tally.requests / elapsed:.1f}/s), 5xx {fives}, moves seen {len(tally.seen_moves)}, "
                   f"saves {len(tally.saves)}, conflicts shown {tally.outcomes['edit: conflict shown']}")
        print(summary, flush=True)
        print("  statuses " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())))
        print("  outcomes " + ", ".join(f"{o}: {n}" for o, n in sorted(tally.outcomes.items())))
        for problem in problems:
            print(f"  PROBLEM {problem}")
        if server.first_trace():
            print("  the first stack trace in the server log ends:\n" + server.first_trace())
        return not problems, summary
    finally:
        if server:
            server.stop()
        if os.environ.get("RELIABILITY_KEEP"):
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    kinds = sys.argv[1:] or ["sqlite"]
    seconds = float(os.environ.get("RELIABILITY_SECONDS", "30"))
    results = [run(kind, seconds) for kind in kinds]
    return 0 if all(ok for ok, _summary in results) else 1


if __name__ == "__main__":
    sys.exit(main())
