"""Database fault: PostgreSQL goes away for ~10 s under a running gunicorn, then comes back.

    RELIABILITY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<own db> \
        .venv/bin/python reliability/db_fault.py        [RELIABILITY_CUT_SECONDS=10]

A small TCP proxy (reliability/fault_proxy.py) sits between gunicorn (2 workers) and PostgreSQL.
Eight signed-in clients read pages, edit and move proposals the whole time. After a few seconds
the proxy is cut: every open connection is ended at both ends and new ones are refused;
RELIABILITY_CUT_SECONDS later it accepts again. Nothing restarts gunicorn.

It shows: while cut, every answer is the 503 page ("잠시 후 다시 시도해 주세요"), with the worst
response time; no page carries a stack trace; after the restore pages answer 200 again (the time
to the first 200 and that nothing fails after it); each move either wrote its history row and the
new stage or neither (the checks of reliability/common.py, with the moves whose answer was a 503
allowed either way). Exits 1 on any problem.
"""
import os
import sys
import tempfile
import threading
import time
import shutil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from reliability.common import (  # noqa: E402
    RETRY_TEXT, Server, check_edits, check_history, fresh_database, last_change_id, seed,
)
from reliability.concurrency import Client, Tally  # noqa: E402
from reliability.fault_proxy import Proxy  # noqa: E402

CLIENTS = {"member": 5, "mentor": 1, "manager": 2}
WORST_503_S = 5.0  # "within a few seconds"


class Timeline:
    def __init__(self):
        self.lock, self.rows = threading.Lock(), []  # (start, end, status, method, path, retry text, trace)

    def add(self, *row) -> None:
        with self.lock:
            self.rows.append(row)


class FaultClient(Client):
    """The concurrency script's client; every answer goes on the timeline, a 503 is expected."""

    timeline: Timeline
    unknown: set

    def call(self, method: str, path: str, **kwargs):
        started = time.monotonic()
        response = self.session.request(method, self.base + path, allow_redirects=False, timeout=60, **kwargs)
        body = response.text
        self.timeline.add(started, time.monotonic(), response.status_code, method, path, RETRY_TEXT in body,
                          "Traceback" in body or 'File "/' in body)
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.statuses[response.status_code] += 1
        if response.status_code >= 500 and response.status_code != 503:
            self.tally.add(bad=f"{method} {path}: {response.status_code}")
        return response

    def moved(self, response, pid, action, note):
        if response.status_code == 503:
            self.unknown.add(note)  # written or not: the checks accept either, never half
            return self.tally.add(outcome="move: 503")
        return super().moved(response, pid, action, note)

    def after_move(self, after, pid, action, note):
        if after.status_code == 503:  # the message saying whether it was made is lost
            self.unknown.add(note)
            return self.tally.add(outcome="move: answer lost in a 503")
        return super().after_move(after, pid, action, note)

    def review(self, pid):
        before = self.count
        super().review(pid)
        self.unknown.update(f"review-c{self.n}-{i}" for i in range(before + 1, self.count + 1))


def main() -> int:
    cut_seconds = float(os.environ.get("RELIABILITY_CUT_SECONDS", "10"))
    tmp = Path(tempfile.mkdtemp(prefix="reliability-fault-"))
    server = proxy = None
    try:
        db_url = fresh_database("postgresql", tmp)
        seeded = seed(db_url, tmp / "instance-seed")
        first_change = last_change_id(db_url)
        real = sa.engine.make_url(db_url)
        proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
        through_proxy = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        server = Server(through_proxy, tmp)
        tally, stop, timeline, unknown = Tally(), threading.Event(), Timeline(), set()
        clients, n = [], 0
        for role, count in CLIENTS.items():
            for i in range(count):
                staff_id = seeded.people[role][i]
                proposals = (seeded.proposals_of[seeded.subcommittee_of[staff_id]] if role == "member"
                             else list(seeded.proposals_of.values())[i % 2] if role == "mentor"
                             else seeded.proposal_ids)
                client = FaultClient(n, role, staff_id, server.base, proposals, tally, stop, seeded.team_id)
                client.timeline, client.unknown = timeline, unknown
                clients.append(client)
                n += 1
        for client in clients:
            client.start()
        time.sleep(6)
        cut_at = time.monotonic()
        proxy.cut()
        print(f"fault: PostgreSQL cut for {cut_seconds:g} s", flush=True)
        time.sleep(cut_seconds)
        proxy.restore()
        restored_at = time.monotonic()
        time.sleep(12)
        stop.set()
        for client in clients:
            client.join(timeout=120)
        server.stop()

        problems = [f"client {c.n} ({c.role}) stopped: {c.error!r}" for c in clients if c.error]
        problems += tally.bad[:20]
        rows = sorted(timeline.rows)
        during = [r for r in rows if r[0] >= cut_at + 0.5 and r[1] < restored_at]
        unavailable = [r for r in rows if r[2] == 503]
        worst = max((r[1] - r[0] for r in unavailable), default=0.0)
        if not during:
            problems.append("no request was answered while the database was cut")
        wrong = [r for r in during if r[2] != 503 or not r[5]]
        if wrong:
            problems.append(f"{len(wrong)} answer(s) while cut were not the 503 page, e.g. {wrong[0][2:5]}")
        if worst > WORST_503_S:
            problems.append(f"the slowest 503 took {worst:.1f} s (more than {WORST_503_S:g} s)")
        traces = [r for r in rows if r[6]]
        if traces:
            problems.append(f"{len(traces)} page(s) showed a stack trace")
        after = [r for r in rows if r[0] >= restored_at]
        first_ok = next((r for r in after if r[2] == 200), None)
        recovery = (first_ok[1] - restored_at) if first_ok else None
        if first_ok is None:
            problems.append("no page answered 200 after the restore")
        else:
            failing = [r for r in after if r[0] > first_ok[1] and r[2] >= 500]
            if failing:
                problems.append(f"{len(failing)} answer(s) failed after the first 200 of the restore, "
                                f"e.g. {failing[0][2:5]}")
        problems += check_history(db_url, seeded.team_id, tally.seen_moves, first_change_id=first_change,
                                  unknown_notes=unknown)
        problems += check_edits(db_url, tally.saves)
        log_traces = server.log().count("Traceback")
        if log_traces:
            problems.append(f"{log_traces} stack trace(s) in the gunicorn log")
        summary = (f"fault/postgresql: {len(rows)} requests, cut {cut_seconds:g} s: {len(during)} answered while cut, "
                   f"all 503 with the retry page: {'yes' if during and not wrong else 'NO'}, worst 503 "
                   f"{worst * 1000:.0f} ms, first 200 {recovery * 1000 if recovery is not None else float('nan'):.0f} ms "
                   f"after the restore, moves seen {len(tally.seen_moves)} (+{len(unknown)} unanswered), "
                   f"stack traces in pages {len(traces)}, in the server log {log_traces}")
        print(summary, flush=True)
        print("  statuses " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())))
        for problem in problems:
            print(f"  PROBLEM {problem}")
        if server.first_trace():
            print("  the first stack trace in the server log ends:\n" + server.first_trace())
        return 0 if not problems else 1
    finally:
        if server:
            server.stop()
        if proxy and proxy.listener:
            proxy.cut()
        if os.environ.get("RELIABILITY_KEEP"):
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
