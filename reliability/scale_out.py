"""Scale-out and load: two gunicorn servers (2 workers each, two ports) on one PostgreSQL and one Redis.

    RELIABILITY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<own db> \
    RELIABILITY_REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python reliability/scale_out.py
        [RELIABILITY_LOAD_SECONDS=120 RELIABILITY_USERS=50]

Both servers get the same SECRET_KEY and RATELIMIT_STORAGE_URI (the Redis database is flushed
first and after). It shows:
- sign-in throttling holds across the servers: failed sign-ins of one account alternating between
  the two are refused (429) at the same attempt as on one server alone;
- a session cookie from server A works on server B (a page, and a form posted with B's token);
- the daily mix (reliability/locustfile.py, locust headless, RELIABILITY_USERS simulated people,
  loopback only) against both servers for RELIABILITY_LOAD_SECONDS with no error: requests/s,
  median and p95 per request type, errors, and the expected conflicts on their own line.
Exits 1 on any problem.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import secrets
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis  # noqa: E402
import requests  # noqa: E402

from reliability.common import (  # noqa: E402
    BIN, PASSWORD, ROOT, Server, csrf_token, fresh_database, seed, sign_in,
)

EXPECTED_LIMIT = 6  # LOGIN_LIMIT_PER_ACCOUNT "5 per 15 minutes": the 6th failure is refused


def attempts_until_refused(bases: list[str], staff_id: str, most: int = 12) -> int | None:
    """Failed sign-ins of one account, taking the servers in turn: the attempt answered 429."""
    sessions = {base: requests.Session() for base in bases}
    for attempt in range(1, most + 1):
        base = bases[(attempt - 1) % len(bases)]
        session = sessions[base]
        form = session.get(f"{base}/auth/login", timeout=30).text
        response = session.post(f"{base}/auth/login", allow_redirects=False, timeout=30, data={
            "csrf_token": csrf_token(form), "identifier": staff_id, "password": "not-the-password"})
        if response.status_code == 429:
            return attempt
        assert response.status_code == 200, f"a failed sign-in answered {response.status_code}"
    return None


def session_travels(a: str, b: str, staff_id: str, name: str, team_id: int) -> list[str]:
    problems = []
    on_a = sign_in(a, staff_id)
    cookie = next(c for c in on_a.cookies if c.name == "session")
    on_b = requests.Session()
    # only the cookie goes over, as a browser behind a load balancer would send it
    on_b.cookies.set("session", cookie.value, domain=cookie.domain, path=cookie.path)
    page = on_b.get(f"{b}/proposals/new", allow_redirects=False, timeout=30)
    if page.status_code != 200 or name not in page.text:
        problems.append(f"server B did not accept server A's session: {page.status_code}")
        return problems
    saved = on_b.post(f"{b}/proposals/new", allow_redirects=False, timeout=30, data={
        "csrf_token": csrf_token(page.text), "team": str(team_id), "title": "서버를 옮겨 다닌 아이디어"})
    if saved.status_code != 302:
        problems.append(f"a form posted on B with A's session answered {saved.status_code}")
    back = on_a.get(f"{a}{saved.headers.get('Location', '/')}", allow_redirects=False, timeout=30)
    if back.status_code != 200 or "서버를 옮겨 다닌 아이디어" not in back.text:
        problems.append(f"server A does not show what was saved through B: {back.status_code}")
    return problems


def run_locust(seeded, bases: list[str], users: int, seconds: int, tmp: Path) -> tuple[list[str], dict]:
    editable = set(seeded.editable)
    shared = {member: [p for p in seeded.proposals_of[sub] if p in editable]
              for member, sub in seeded.subcommittee_of.items()}
    env = dict(os.environ, RELIABILITY_HOSTS=",".join(bases), RELIABILITY_TEAM=str(seeded.team_id),
               RELIABILITY_SHARED=json.dumps(shared),
               RELIABILITY_ACCOUNTS=json.dumps(seeded.people), RELIABILITY_PASSWORD=PASSWORD,
               RELIABILITY_PROPOSALS=",".join(map(str, seeded.proposal_ids)))
    out = tmp / "locust"
    done = subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "reliability" / "locustfile.py"), "--headless",
                           "-u", str(users), "-r", "10", "-t", f"{seconds}s", "--host", bases[0],
                           "--csv", str(out), "--only-summary", "--loglevel", "WARNING",
                           "--exit-code-on-error", "0", "--stop-timeout", "10"],
                          env=env, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        return [f"locust exited {done.returncode}: {done.stderr[-1500:]}"], {}
    with open(f"{out}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    problems = []
    with open(f"{out}_failures.csv", newline="") as f:
        for row in csv.DictReader(f):
            problems.append(f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}")
    if done.stderr.count("Traceback"):
        problems.append(f"locust printed a stack trace: {done.stderr[-1500:]}")
    return problems, {r["Name"]: r for r in rows}


def main() -> int:
    seconds = int(os.environ.get("RELIABILITY_LOAD_SECONDS", "120"))
    users = int(os.environ.get("RELIABILITY_USERS", "50"))
    redis_url = os.environ.get("RELIABILITY_REDIS_URL", "redis://127.0.0.1:6379/5")
    tmp = Path(tempfile.mkdtemp(prefix="reliability-scale-"))
    store = redis.Redis.from_url(redis_url)
    servers = []
    try:
        store.flushdb()
        db_url = fresh_database("postgresql", tmp)
        seeded = seed(db_url, tmp / "instance-seed", members=24, mentors=6, managers=3)
        secret = secrets.token_hex(32)
        env = {"RATELIMIT_STORAGE_URI": redis_url}
        servers = [Server(db_url, tmp, name=name, secret=secret, env=env) for name in ("a", "b")]
        a, b = servers[0].base, servers[1].base
        problems = []

        both = attempts_until_refused([a, b], seeded.people["member"][0])
        one = attempts_until_refused([a], seeded.people["member"][1])
        keys = len(store.keys("*"))
        if both != one or both != EXPECTED_LIMIT:
            problems.append(f"sign-in limit: refused at attempt {both} across two servers, {one} on one "
                            f"(expected {EXPECTED_LIMIT} for both)")
        if not keys:
            problems.append("no rate-limit counter in Redis")
        store.flushdb()  # the counts of this check must not throttle the load below
        problems += session_travels(a, b, seeded.people["member"][2], "단원2", seeded.team_id)

        load_problems, stats = run_locust(seeded, [a, b], users, seconds, tmp)
        problems += load_problems
        traces = sum(s.log().count("Traceback") for s in servers)
        if traces:
            problems.append(f"{traces} stack trace(s) in the gunicorn logs")
        total = stats.get("Aggregated", {})
        failures = int(total.get("Failure Count", 0) or 0)
        conflicts = {name: int(row["Request Count"]) for name, row in stats.items()
                     if row.get("Type") == "EXPECTED"}
        print(f"scale-out/postgresql+redis: sign-in refused at attempt {both} across two servers, {one} on one; "
              f"A's session on B: {'ok' if not any('server' in p for p in problems) else 'NO'}", flush=True)
        if total:
            real = int(total["Request Count"]) - sum(conflicts.values())
            print(f"load: {users} users, {seconds} s, two servers: {real} requests, "
                  f"{real / seconds:.1f} req/s, median {total['50%']} ms, p95 {total['95%']} ms, "
                  f"errors {failures}, expected conflicts "
                  + (", ".join(f"{n}: {c}" for n, c in conflicts.items()) or "0"), flush=True)
            print("  | request | count | req/s | median ms | p95 ms | errors |")
            for name, row in sorted(stats.items()):
                if name != "Aggregated" and row.get("Type") != "EXPECTED":
                    print(f"  | {row['Type']} {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
                          f"{row['50%']} | {row['95%']} | {row['Failure Count']} |")
        for problem in problems:
            print(f"  PROBLEM {problem}")
        for server in servers:
            if server.first_trace():
                print("  the first stack trace in a server log ends:\n" + server.first_trace())
                break
        return 0 if not problems else 1
    finally:
        for server in servers:
            server.stop()
        store.flushdb()
        if os.environ.get("RELIABILITY_KEEP"):
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
