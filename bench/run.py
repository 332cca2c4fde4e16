"""The benchmark harness (`make bench`): build synthetic archives, serve them with gunicorn, load
each page with locust, and check the figures against the targets.

    BENCH_SIZES=1000,10000,100000 BENCH_SECONDS=10 [DATABASE_URL=postgresql+psycopg://.../bench] \
        .venv/bin/python bench/run.py

For each size: a fresh SQLite file in a temporary folder (or the PostgreSQL database of
DATABASE_URL, emptied first), the archive of bench/archive.py, `gunicorn --workers 2` on a free
port of 127.0.0.1 with the production settings (plus TRACKER_QUERY_COUNT_HEADER=1), and for each
page `locust --headless -u 8` for BENCH_SECONDS: requests/s, median and p95 latency, SQL queries
per request (X-Query-Count of one sampled request), the first load (the slower of the two
workers' first answers, drawn before anything is kept) and the peak RSS of a worker. Then the importer
on a 10,000-row CSV and the XLSX export of 10,000 proposals, in process, each the best of 3 runs. Writes
bench/results/<timestamp>-<db>.json and .md, prints the Markdown, exits 1 when a target is missed.
"""
import csv
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench.archive import MANAGER_ID, MENTOR_ID, PASSWORD, build_archive  # noqa: E402
from bench.import_speed import make_csv  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.importers import import_ideas, writers  # noqa: E402
from tracker.importers.programme import load_programme  # noqa: E402

BIN = Path(sys.executable).parent
USERS = 8
RESULTS = ROOT / "bench" / "results"
SIMILAR = "빈집을 고쳐 청년 창업공간으로"
# (key, URL template, who is signed in)
PAGES = [
    ("health", "/healthz", "manager"),
    ("board", "/teams/{team}/board", "manager"),
    ("list", "/proposals/?team={team}&stage=developing", "manager"),
    ("proposal", "/proposals/{proposal}", "manager"),
    ("search", "/proposals/?q=빈집", "manager"),
    ("similar", "/proposals/similar?q=" + SIMILAR, "manager"),
    ("mentor_queue", "/reviews/", "mentor"),
    ("overview", "/overview", "manager"),
    ("xlsx", "/teams/{team}/board.xlsx", "manager"),
]
P95_MS, RATIO, RATIO_BOARD_LIST, GROWTH, IMPORT_ROWS_S, XLSX_S, PG_FACTOR = 100, 0.10, 0.20, 2.0, 5000, 5.0, 1.5
TARGET_SIZE = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reset_database(url: str, tmp: Path, size: int | str) -> str:
    """A fresh SQLite file, or the PostgreSQL database of the URL emptied (never `test*`)."""
    if url.startswith("sqlite") or not url:
        return f"sqlite:///{tmp / f'bench-{size}.sqlite'}"
    name = sa.engine.make_url(url).database
    if name in ("test", "test_helper"):
        raise SystemExit(f"refusing to reset the database {name!r}: use a database of its own (bench)")
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1)
                              if url.startswith("postgresql://") else url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def sanity_check_query_count(url: str) -> None:
    """X-Query-Count is absent unless switched on, and counts the statements of a request."""
    plain = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    assert "X-Query-Count" not in plain.test_client().get("/healthz").headers, "header on by default"
    counted = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "QUERY_COUNT_HEADER": True})
    assert counted.test_client().get("/healthz").headers["X-Query-Count"] == "0", "anonymous /healthz runs no SQL"
    with counted.test_request_context("/"):
        for _ in range(3):
            db.session.execute(sa.text("SELECT 1"))
        response = counted.process_response(counted.response_class("ok"))
        db.session.remove()
    assert response.headers["X-Query-Count"] == "3", "three statements in a request counted as 3"


def sign_in(base: str, identifier: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    form = session.get(f"{base}/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', form)
    response = session.post(f"{base}/auth/login", allow_redirects=False,
                            data={"csrf_token": token.group(1), "identifier": identifier, "password": PASSWORD})
    assert response.status_code == 302, f"sign-in of {identifier} failed: {response.status_code}"
    cookie = next(c for c in session.cookies if c.name == "session")
    return session, f"{cookie.name}={cookie.value}"


class PeakRss(threading.Thread):
    """Samples the RSS of the gunicorn workers (children of the master) until stopped."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        self.master, self.peak, self.stop = psutil.Process(master_pid), 0, threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for child in self.master.children():
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass
            self.stop.wait(0.1)


def run_locust(base: str, path: str, cookie: str, seconds: int, out: Path) -> dict:
    env = dict(os.environ, BENCH_PATH=path, BENCH_COOKIE=cookie)
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "-u", str(USERS), "-r", str(USERS), "-t", f"{seconds}s", "--host", base,
                    "--csv", str(out), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{out}_stats.csv", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]), "median_ms": float(row["50%"]), "p95_ms": float(row["95%"])}


def time_xlsx() -> dict:
    """The XLSX export of every proposal, read and written in process."""
    started = time.perf_counter()
    rows = writers.proposal_rows()
    fetched = time.perf_counter()
    data = writers.write_xlsx(rows)
    return {"proposals": len(rows), "fetch_s": fetched - started, "write_s": time.perf_counter() - fetched,
            "bytes": len(data)}


def bench_size(size: int, url: str, tmp: Path, seconds: int) -> dict:
    db_url = reset_database(url, tmp, size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
        archive = build_archive(size)
        if db.engine.dialect.name == "postgresql":  # planner statistics, as autovacuum would gather
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        xlsx = {}
        if size == TARGET_SIZE:
            xlsx = min((time_xlsx() for _ in range(3)), key=lambda x: x["fetch_s"] + x["write_s"])
        db.session.remove()
        db.engine.dispose()
    print(f"[{size:,}] built {archive.rows:,} rows in {archive.seconds:.1f} s "
          f"({archive.rows_per_second:,.0f} rows/s)", flush=True)
    if xlsx:
        print(f"[{size:,}] XLSX of {xlsx['proposals']:,} proposals: {xlsx['fetch_s'] + xlsx['write_s']:.2f} s",
              flush=True)
    sanity_check_query_count(db_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    instance = tmp / f"instance-{size}"
    instance.mkdir()
    env = dict(os.environ, DATABASE_URL=db_url, SECRET_KEY=secrets.token_hex(32), TRACKER_QUERY_COUNT_HEADER="1",
               TRACKER_INSTANCE_PATH=str(instance))
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "app:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(tmp / f"gunicorn-{size}.log", "w"))
    pages = {}
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=5).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        sessions = {"manager": sign_in(base, MANAGER_ID), "mentor": sign_in(base, MENTOR_ID)}
        for key, template, who in PAGES:
            path = template.format(team=archive.team_id, proposal=archive.proposal_id)
            session, cookie = sessions[who]
            first_ms = []
            for _ in range(10):  # warm both workers (imports, caches kept per process) before the timed run
                sample = session.get(base + path, allow_redirects=False)
                assert sample.status_code == 200, (path, sample.status_code)
                first_ms.append(sample.elapsed.total_seconds() * 1000)
            peak = PeakRss(server.pid)
            peak.start()
            stats = run_locust(base, path, cookie, seconds, tmp / f"locust-{size}-{key}")
            peak.stop.set()
            peak.join()
            # the first answer of each worker is drawn afresh (nothing kept yet): what a page costs
            # right after any write
            pages[key] = {"path": path, **stats, "queries": int(sample.headers["X-Query-Count"]),
                          "first_ms": round(max(first_ms[:2]), 1), "peak_rss_mb": round(peak.peak / 2**20, 1)}
            print(f"[{size:,}] {key}: {stats['rps']:.1f} req/s, median {stats['median_ms']:.0f} ms, "
                  f"p95 {stats['p95_ms']:.0f} ms, {pages[key]['queries']} queries", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    health = pages["health"]["rps"] or 1
    for page in pages.values():
        page["ratio"] = page["rps"] / health
    return {"size": size, "build": {"rows": archive.rows, "seconds": archive.seconds,
                                    "rows_per_second": archive.rows_per_second, "counts": archive.counts},
            "xlsx": xlsx, "pages": pages}


def bench_import(url: str, tmp: Path, runs: int = 3) -> dict:
    """The importer on a valid 10,000-row CSV into an empty archive, ``runs`` times: the best run
    is the figure (the others show how much the shared machine moved it)."""
    data = make_csv(TARGET_SIZE)
    seconds = []
    for run in range(runs):
        db_url = reset_database(url, tmp, f"import-{run}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "x"})
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
    best = min(seconds)
    return {"rows": TARGET_SIZE, "seconds": best, "rows_per_second": TARGET_SIZE / best,
            "runs_s": [round(s, 2) for s in seconds]}


def check(result: dict, previous_sqlite: dict | None) -> list[tuple[str, bool | None, str]]:
    """(target, passed (None: not measured, or not a target on this database), detail).

    The figures' targets hold on SQLite; on PostgreSQL the target is each page's median within
    1.5x of SQLite's, and the SQLite targets are shown beside it as information."""
    by_size = {r["size"]: r for r in result["sizes"]}
    on_sqlite = result["database"] == "sqlite"
    checks = []

    def target(name: str, passed: bool, detail: str) -> None:
        checks.append((name, passed if on_sqlite else None, detail if on_sqlite else f"{detail} (SQLite's target)"))

    at = by_size.get(TARGET_SIZE)
    if at:
        for key, page in at["pages"].items():
            target(f"p95 ≤ {P95_MS} ms at {USERS} clients: {key}", page["p95_ms"] <= P95_MS and not page["failures"],
                   f"{page['p95_ms']:.0f} ms, {page['failures']} failures")
        for key, page in at["pages"].items():
            if key == "health":
                continue
            floor = RATIO_BOARD_LIST if key in ("board", "list") else RATIO
            target(f"throughput ≥ {floor:.0%} of /healthz: {key}", page["ratio"] >= floor, f"{page['ratio']:.1%}")
    else:
        checks.append((f"page targets at {TARGET_SIZE:,} proposals", None, "size not in BENCH_SIZES"))
    sizes = sorted(by_size)
    if len(sizes) > 1:
        low, high = by_size[sizes[0]], by_size[sizes[-1]]
        span = f"{sizes[0]:,}→{sizes[-1]:,}" + ("" if (sizes[0], sizes[-1]) == (1000, 100_000) else " (not 1k→100k)")
        for key in low["pages"]:
            growth = high["pages"][key]["median_ms"] / max(low["pages"][key]["median_ms"], 1)
            checks.append((f"median grows ≤ {GROWTH:g}× {span}: {key}", growth <= GROWTH, f"{growth:.2f}×"))
        for key in low["pages"]:
            counts = [by_size[s]["pages"][key]["queries"] for s in sizes]
            checks.append((f"queries per request constant: {key}", len(set(counts)) == 1,
                           " / ".join(map(str, counts))))
    else:
        checks.append(("growth and query constancy across sizes", None, "one size only"))
    imp = result["import"]
    target(f"import ≥ {IMPORT_ROWS_S:,} rows/s (10,000-row CSV)", imp["rows_per_second"] >= IMPORT_ROWS_S,
           f"{imp['rows_per_second']:,.0f} rows/s")
    if at and at["xlsx"]:
        total = at["xlsx"]["fetch_s"] + at["xlsx"]["write_s"]
        target(f"XLSX export of 10,000 proposals ≤ {XLSX_S:g} s", total <= XLSX_S, f"{total:.2f} s")
    else:
        checks.append(("XLSX export of 10,000 proposals", None, "size 10,000 not in BENCH_SIZES"))
    if result["database"] != "sqlite":
        if previous_sqlite and TARGET_SIZE in {r["size"] for r in previous_sqlite["sizes"]} and at:
            base = {r["size"]: r for r in previous_sqlite["sizes"]}[TARGET_SIZE]["pages"]
            for key, page in at["pages"].items():
                factor = page["median_ms"] / max(base[key]["median_ms"], 1)
                checks.append((f"PostgreSQL median ≤ {PG_FACTOR:g}× SQLite: {key}", factor <= PG_FACTOR,
                               f"{factor:.2f}× (vs {previous_sqlite['file']})"))
        else:
            checks.append(("PostgreSQL within 1.5× of SQLite", None, "no SQLite result at 10,000 to compare"))
    return checks


def markdown(result: dict, checks) -> str:
    lines = [f"# Benchmark {result['started']} on {result['database']} ({result['cpus']} CPUs, "
             f"{USERS} clients, {result['seconds']} s per page, gunicorn 2 workers)", ""]
    lines += ["| size | page | req/s | × /healthz | median ms | p95 ms | queries | first load ms | "
              "peak worker RSS MB | failures |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in result["sizes"]:
        for key, p in r["pages"].items():
            lines.append(f"| {r['size']:,} | {key} | {p['rps']:.1f} | {p['ratio']:.1%} | {p['median_ms']:.0f} | "
                         f"{p['p95_ms']:.0f} | {p['queries']} | {p['first_ms']:.0f} | {p['peak_rss_mb']:.0f} | "
                         f"{p['failures']} |")
    lines += ["", "| size | archive rows | build s | rows/s |", "| ---: | ---: | ---: | ---: |"]
    for r in result["sizes"]:
        b = r["build"]
        lines.append(f"| {r['size']:,} | {b['rows']:,} | {b['seconds']:.1f} | {b['rows_per_second']:,.0f} |")
    imp = result["import"]
    lines += ["", f"Import of a 10,000-row CSV: {imp['seconds']:.2f} s = {imp['rows_per_second']:,.0f} rows/s "
                  f"(best of {len(imp['runs_s'])} runs: {' / '.join(f'{s:.2f}' for s in imp['runs_s'])} s)."]
    for r in result["sizes"]:
        if r["xlsx"]:
            x = r["xlsx"]
            lines.append(f"XLSX export of {x['proposals']:,} proposals (in process, best of 3): {x['fetch_s']:.2f} s "
                         f"to read + {x['write_s']:.2f} s to write.")
    lines += ["", "| target | result | figure |", "| --- | --- | --- |"]
    for name, passed, detail in checks:
        lines.append(f"| {name} | {'PASS' if passed else 'FAIL' if passed is False else 'n/a'} | {detail} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if s.strip()]
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    url = os.environ.get("DATABASE_URL", "")
    database = "sqlite" if not url or url.startswith("sqlite") else sa.engine.make_url(url).get_backend_name()
    started = datetime.now().strftime("%Y%m%d-%H%M%S")
    tmp = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        result = {"started": started, "database": database, "cpus": os.cpu_count(), "seconds": seconds,
                  "clients": USERS, "sizes": []}
        for size in sizes:
            result["sizes"].append(bench_size(size, url, tmp, seconds))
        result["import"] = bench_import(url, tmp)
        print(f"import: {result['import']['rows_per_second']:,.0f} rows/s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    previous = None
    if database != "sqlite":
        earlier = sorted(RESULTS.glob("*-sqlite.json"))
        if earlier:
            previous = json.loads(earlier[-1].read_text()) | {"file": earlier[-1].name}
    checks = check(result, previous)
    result["checks"] = [{"target": n, "passed": p, "detail": d} for n, p, d in checks]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"{started}-{database}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    text = markdown(result, checks)
    stem.with_suffix(".md").write_text(text)
    print(text)
    print(f"written: {stem}.json, {stem}.md")
    missed = [n for n, p, _d in checks if p is False]
    if missed:
        print(f"{len(missed)} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
