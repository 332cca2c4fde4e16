"""The benchmark (`make bench`): pages as people get them, drawn afresh, beside a bare Flask route.

    BENCH_SIZES=1000,10000,100000 BENCH_SECONDS=10 BENCH_MIXED_SECONDS=120 \
        [DATABASE_URL=postgresql+psycopg://.../bench] .venv/bin/python bench/run.py

For each size, a synthetic archive (bench/archive.py) in a new SQLite file (or the database of
DATABASE_URL, emptied), then:

1. Draw cost, in process: each page through the Flask test client 15 times, a write to the
   database before every draw (whatever a process kept could not answer), the fastest draw as
   the page's cost, and that as a multiple of a bare Flask route drawn the same way in the same
   run (fastest of 500); the SQL statements of a draw.
2. At 10,000 proposals (BENCH_WRK_SIZE), throughput: the app under gunicorn (2 sync workers, as
   `make serve`) loaded by wrk (written in C: 2 threads, 8 connections, BENCH_SECONDS a page):
   requests/s as a share of the bare route under the same gunicorn settings, p50 and p99.
3. At 10,000, the mixed run: 50 simulated people for BENCH_MIXED_SECONDS (locust with
   reliability/locustfile.py: members log and develop ideas, mentors review, managers read the
   board and lists; about one request in ten writes): p50 and p95 per request kind, errors.

Then the importer on a 10,000-row CSV (best of 3). Results go to bench/results/<time>-<db>.json
and .md; the run exits 1 when a target is missed (see TARGETS).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from bench.archive import MANAGER_ID, MENTOR_ID, PASSWORD, build_archive  # noqa: E402
from bench.bare_app import app as bare_app  # noqa: E402
from bench.import_speed import make_csv  # noqa: E402
from reliability import common  # noqa: E402
from reliability.scale_out import run_locust  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.importers import import_ideas  # noqa: E402
from tracker.importers.programme import load_programme  # noqa: E402
from tracker.models import Proposal  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DRAWS, BARE_DRAWS = 15, 500
SIMILAR = "빈집을 고쳐 청년 창업공간으로"
# (key, URL template, who is signed in, target: the largest draw cost as a multiple of the bare route)
PAGES = [
    ("health", "/healthz", "manager", 8),
    ("board", "/teams/{team}/board", "manager", 40),
    ("list", "/proposals/?team={team}&stage=developing", "manager", 40),
    ("proposal", "/proposals/{proposal}", "manager", 40),
    ("search", "/proposals/?q=빈집", "manager", 40),
    ("mentor queue (mentor)", "/reviews/", "mentor", 40),
    ("mentor queue (manager)", "/reviews/", "manager", 40),
    ("similar", "/proposals/similar?q=" + SIMILAR, "manager", 80),
    ("overview", "/overview", "manager", 80),
    ("board XLSX", "/teams/{team}/board.xlsx", "manager", 80),
]
WRK_SHARE, GROWTH, MIXED_P95_MS, MIXED_USERS, PG_FACTOR = 0.04, 1.5, 150, 50, 1.5
IMPORT_ROWS_S = {"sqlite": 10_000, "postgresql": 5_000}
WRK_SIZE = int(os.environ.get("BENCH_WRK_SIZE", "10000"))


def fresh_database(url: str, tmp: Path, name: str) -> str:
    """A new SQLite file, or the PostgreSQL database of the URL emptied (never one named test*)."""
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{tmp / f'{name}.sqlite'}"
    database = sa.engine.make_url(url).database
    if database in common.PROTECTED or database.startswith("test"):
        raise SystemExit(f"refusing to empty the database {database!r}: give the benchmark one of its own")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def signed_in_client(app: Flask, staff_id: str):
    client = app.test_client()
    form = client.get("/auth/login").get_data(as_text=True)
    answer = client.post("/auth/login", data={"csrf_token": common.csrf_token(form), "identifier": staff_id,
                                              "password": PASSWORD})
    assert answer.status_code == 302, f"sign-in of {staff_id}: {answer.status_code}"
    return client


def fastest(draw, times: int, before=None) -> float:
    best = float("inf")
    for _ in range(times):
        if before:
            before()
        started = time.perf_counter()
        draw()
        best = min(best, time.perf_counter() - started)
    return best


def draw_costs(db_url: str, paths: dict[str, str]) -> dict:
    """Each page's fastest draw (ms), its multiple of the bare route's and its SQL statements."""
    bare_client = bare_app.test_client()
    bare_ms = fastest(lambda: bare_client.get("/"), BARE_DRAWS) * 1000
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    clients = {"manager": signed_in_client(app, MANAGER_ID), "mentor": signed_in_client(app, MENTOR_ID)}
    with app.app_context():
        engine = db.engine
        write_target = db.session.scalar(sa.text("SELECT min(id) FROM proposal"))
    statements = []
    sa.event.listen(engine, "before_cursor_execute", lambda *_args: statements.append(1))
    writes = iter(range(10**9))

    def write() -> None:  # a save through the app's session somewhere in the archive, before every draw
        with app.app_context():
            db.session.get(Proposal, write_target).notes = f"bench {next(writes)}"
            db.session.commit()

    pages = {}
    for key, _template, who, target in PAGES:
        client = clients[who]

        def draw(path=paths[key], client=client):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)

        draw()  # the first draw of a page (templates compiled) is not the one measured
        statements.clear()
        draw()
        queries = len(statements)
        best_ms = fastest(draw, DRAWS, before=write) * 1000
        pages[key] = {"path": paths[key], "draw_ms": round(best_ms, 2), "times_bare": round(best_ms / bare_ms, 1),
                      "queries": queries, "target_times_bare": target}
        print(f"  {key}: {best_ms:.2f} ms = {best_ms / bare_ms:.1f}× bare, {queries} queries", flush=True)
    with app.app_context():
        db.engine.dispose()
    return {"bare_ms": round(bare_ms, 4), "pages": pages}


WRK_LINE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def run_wrk(url: str, seconds: int, cookie: str | None = None) -> dict:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", quote(url, safe=":/?&=%")]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {pct: float(value) * scale[unit] for pct, value, unit in WRK_LINE.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), "p50_ms": latency.get("50"),
            "p99_ms": latency.get("99"), "errors": int(errors[1]) if errors else 0}


def throughput(db_url: str, tmp: Path, paths: dict[str, str], seconds: int) -> dict:
    bare = common.Server(db_url, tmp, name="bare", wsgi="bench.bare_app:app", ready="/")
    try:
        floor = run_wrk(bare.base + "/", seconds)
    finally:
        bare.stop()
    print(f"  bare route: {floor['rps']:.0f} req/s", flush=True)
    server = common.Server(db_url, tmp, name="app")
    try:
        cookies = {who: "session=" + common.sign_in(server.base, staff_id, PASSWORD).cookies["session"]
                   for who, staff_id in (("manager", MANAGER_ID), ("mentor", MENTOR_ID))}
        pages = {}
        for key, _template, who, _target in PAGES:
            pages[key] = run_wrk(server.base + paths[key], seconds, cookies[who])
            pages[key]["share"] = pages[key]["rps"] / floor["rps"]
            print(f"  {key}: {pages[key]['rps']:.0f} req/s ({pages[key]['share']:.1%}), "
                  f"p50 {pages[key]['p50_ms']:.1f} ms, p99 {pages[key]['p99_ms']:.1f} ms", flush=True)
    finally:
        server.stop()
    return {"bare": floor, "pages": pages}


def mixed_run(url: str, tmp: Path, seconds: int) -> dict:
    """50 people on one gunicorn (2 workers) over the seeded team of reliability/ and a 10,000-proposal archive."""
    db_url = fresh_database(url, tmp, "mixed")
    instance = tmp / "instance-mixed"
    instance.mkdir()
    seeded = common.seed(db_url, instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    with app.app_context():
        build_archive(WRK_SIZE)
        db.engine.dispose()
    server = common.Server(db_url, tmp, name="mixed")
    try:
        problems, rows = run_locust(seeded, [server.base], MIXED_USERS, seconds, tmp)
    finally:
        server.stop()
    kinds = {name: {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                    "p50_ms": float(r["50%"]), "p95_ms": float(r["95%"])}
             for name, r in rows.items() if name != "Aggregated" and r["Type"] != "EXPECTED"}
    total = rows.get("Aggregated", {})
    result = {"people": MIXED_USERS, "seconds": seconds, "kinds": kinds, "problems": problems,
              "rps": float(total.get("Requests/s", 0)), "requests": int(total.get("Request Count", 0))}
    for name, kind in sorted(kinds.items()):
        print(f"  {name}: {kind['requests']} requests, p50 {kind['p50_ms']:.0f} ms, p95 {kind['p95_ms']:.0f} ms, "
              f"{kind['failures']} failures", flush=True)
    return result


def bench_import(url: str, tmp: Path, runs: int = 3) -> dict:
    """The importer on a valid 10,000-row CSV into an empty archive, ``runs`` times (the best counts)."""
    data = make_csv(10_000)
    seconds = []
    for run in range(runs):
        app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database(url, tmp, f"import-{run}"), "SECRET_KEY": "x"})
        with app.app_context():
            db.create_all()
            load_programme()
            db.session.commit()
            started = time.perf_counter()
            report = import_ideas(data, "bench.csv")
            db.session.commit()
            seconds.append(time.perf_counter() - started)
            assert report.ok, report.errors[:3]
            db.session.remove()
            db.engine.dispose()
    return {"rows": 10_000, "rows_per_second": 10_000 / min(seconds), "runs_s": [round(s, 2) for s in seconds]}


def bench_size(size: int, url: str, tmp: Path, seconds: int) -> dict:
    db_url = fresh_database(url, tmp, f"bench-{size}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        archive = build_archive(size)
        if db.engine.dialect.name == "postgresql":  # planner statistics, as autovacuum would gather
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()
    print(f"[{size:,}] built {archive.rows:,} rows in {archive.seconds:.1f} s", flush=True)
    paths = {key: template.format(team=archive.team_id, proposal=archive.proposal_id)
             for key, template, _who, _target in PAGES}
    result = {"size": size, "build_rows": archive.rows, "build_s": round(archive.seconds, 1),
              "draw": draw_costs(db_url, paths)}
    if size == WRK_SIZE:
        result["wrk"] = throughput(db_url, tmp, paths, seconds)
    return result


def check(result: dict, sqlite_result: dict | None) -> list[tuple[str, bool | None, str]]:
    """(target, passed (None: not measured here), figure)."""
    checks = []
    by_size = {r["size"]: r for r in result["sizes"]}
    for size, r in sorted(by_size.items()):
        for key, page in r["draw"]["pages"].items():
            checks.append((f"draw ≤ {page['target_times_bare']}× bare at {size:,}: {key}",
                           page["times_bare"] <= page["target_times_bare"], f"{page['times_bare']}×"))
    if WRK_SIZE in by_size and "wrk" in by_size[WRK_SIZE]:
        for key, page in by_size[WRK_SIZE]["wrk"]["pages"].items():
            checks.append((f"wrk ≥ {WRK_SHARE:.0%} of the bare route: {key}",
                           page["share"] >= WRK_SHARE and not page["errors"], f"{page['share']:.1%}"))
    sizes = sorted(by_size)
    if len(sizes) > 1:
        low, high = by_size[sizes[0]]["draw"]["pages"], by_size[sizes[-1]]["draw"]["pages"]
        for key in low:
            growth = high[key]["draw_ms"] / low[key]["draw_ms"]
            checks.append((f"draw grows ≤ {GROWTH}× from {sizes[0]:,} to {sizes[-1]:,}: {key}", growth <= GROWTH,
                           f"{growth:.2f}×"))
            counts = [by_size[s]["draw"]["pages"][key]["queries"] for s in sizes]
            checks.append((f"queries constant: {key}", len(set(counts)) == 1, " / ".join(map(str, counts))))
    mixed = result.get("mixed")
    if mixed:
        for name, kind in sorted(mixed["kinds"].items()):
            checks.append((f"mixed run p95 ≤ {MIXED_P95_MS} ms: {name}", kind["p95_ms"] <= MIXED_P95_MS,
                           f"{kind['p95_ms']:.0f} ms"))
        failures = sum(k["failures"] for k in mixed["kinds"].values())
        checks.append(("mixed run: no errors", not failures and not mixed["problems"],
                       f"{failures} failures {'; '.join(mixed['problems'])[:200]}"))
    imported = result["import"]
    floor = IMPORT_ROWS_S.get(result["database"], IMPORT_ROWS_S["postgresql"])
    checks.append((f"import ≥ {floor:,} rows/s", imported["rows_per_second"] >= floor,
                   f"{imported['rows_per_second']:,.0f} rows/s"))
    if result["database"] != "sqlite":
        base = {r["size"]: r for r in (sqlite_result or {}).get("sizes", [])}.get(WRK_SIZE)
        here = by_size.get(WRK_SIZE)
        if base and here:
            for key, page in here["draw"]["pages"].items():
                factor = page["draw_ms"] / base["draw"]["pages"][key]["draw_ms"]
                checks.append((f"PostgreSQL draw ≤ {PG_FACTOR}× SQLite's: {key}", factor <= PG_FACTOR,
                               f"{factor:.2f}× (vs {sqlite_result['file']})"))
    return checks


def markdown(result: dict, checks) -> str:
    lines = [f"# Benchmark {result['started']}, {result['database']}, {result['cpus']} CPUs", "",
             "| proposals | page | draw ms | × bare | queries | wrk req/s | share of bare | p50 ms | p99 ms |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in result["sizes"]:
        wrk = r.get("wrk", {}).get("pages", {})
        lines.append(f"| {r['size']:,} | bare route | {r['draw']['bare_ms']:.3f} | 1 | 0 | "
                     + (f"{r['wrk']['bare']['rps']:.0f} | 100% | {r['wrk']['bare']['p50_ms']:.2f} | "
                        f"{r['wrk']['bare']['p99_ms']:.2f} |" if wrk else "| | | |"))
        for key, page in r["draw"]["pages"].items():
            w = wrk.get(key)
            lines.append(f"| {r['size']:,} | {key} | {page['draw_ms']:.2f} | {page['times_bare']} | {page['queries']} | "
                         + (f"{w['rps']:.0f} | {w['share']:.1%} | {w['p50_ms']:.1f} | {w['p99_ms']:.1f} |" if w
                            else "| | | |"))
    if result.get("mixed"):
        m = result["mixed"]
        lines += ["", f"Mixed run: {m['people']} people, {m['seconds']} s, {m['requests']:,} requests "
                      f"({m['rps']:.1f}/s).", "",
                  "| request | count | p50 ms | p95 ms | failures |", "| --- | ---: | ---: | ---: | ---: |"]
        for name, kind in sorted(m["kinds"].items()):
            lines.append(f"| {name} | {kind['requests']} | {kind['p50_ms']:.0f} | {kind['p95_ms']:.0f} | "
                         f"{kind['failures']} |")
    imported = result["import"]
    lines += ["", f"Import of a 10,000-row CSV: {imported['rows_per_second']:,.0f} rows/s (runs: "
                  f"{' / '.join(f'{s:.2f}' for s in imported['runs_s'])} s).", "",
              "| target | result | figure |", "| --- | --- | --- |"]
    for name, passed, figure in checks:
        lines.append(f"| {name} | {'PASS' if passed else 'FAIL' if passed is False else 'n/a'} | {figure} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if s.strip()]
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    mixed_seconds = int(os.environ.get("BENCH_MIXED_SECONDS", "120"))
    url = os.environ.get("DATABASE_URL", "")
    database = "sqlite" if not url or url.startswith("sqlite") else sa.engine.make_url(url).get_backend_name()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs Debian's wrk")
    started = datetime.now().strftime("%Y%m%d-%H%M%S")
    tmp = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    result = {"started": started, "database": database, "cpus": os.cpu_count(), "sizes": []}
    try:
        for size in sizes:
            result["sizes"].append(bench_size(size, url, tmp, seconds))
        if mixed_seconds:
            print(f"[mixed] {MIXED_USERS} people for {mixed_seconds} s", flush=True)
            result["mixed"] = mixed_run(url, tmp, mixed_seconds)
        result["import"] = bench_import(url, tmp)
        print(f"import: {result['import']['rows_per_second']:,.0f} rows/s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sqlite_result = None
    if database != "sqlite":
        earlier = sorted(RESULTS.glob("*-sqlite.json"))
        if earlier:
            sqlite_result = json.loads(earlier[-1].read_text()) | {"file": earlier[-1].name}
    checks = check(result, sqlite_result)
    result["checks"] = [{"target": n, "passed": p, "figure": f} for n, p, f in checks]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{started}-{database}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    text = markdown(result, checks)
    stem.with_suffix(".md").write_text(text)
    print(text)
    missed = [n for n, p, _f in checks if p is False]
    print(f"written: {stem}.json and .md; {len(missed)} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
