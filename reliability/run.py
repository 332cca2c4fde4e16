"""`make reliability`: every reliability script in turn, then a short summary of the figures.

    RELIABILITY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<own db> \
    RELIABILITY_REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python reliability/run.py

1. concurrency.py on SQLite and on PostgreSQL   (20 clients, RELIABILITY_SECONDS=30 each)
2. db_fault.py on PostgreSQL                    (the database cut for RELIABILITY_CUT_SECONDS=10)
3. scale_out.py on PostgreSQL and Redis         (two servers; locust, RELIABILITY_USERS=50 for
                                                 RELIABILITY_LOAD_SECONDS=120)
Exits 1 when any of them found a problem (or failed to run).
"""
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("concurrency (SQLite, PostgreSQL)", ["concurrency.py", "sqlite", "postgresql"]),
    ("database fault (PostgreSQL)", ["db_fault.py"]),
    ("scale-out and load (PostgreSQL, Redis)", ["scale_out.py"]),
]


def main() -> int:
    started = time.monotonic()
    summary, failed = [], []
    for title, (script, *args) in SCRIPTS:
        print(f"== {title}", flush=True)
        begun = time.monotonic()
        process = subprocess.Popen([sys.executable, str(HERE / script), *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, bufsize=1)
        for line in process.stdout:
            print(line, end="", flush=True)
            if not line.startswith(" ") or line.startswith("  PROBLEM"):
                summary.append(line.rstrip())
        process.wait()
        summary.append(f"  ({title}: {time.monotonic() - begun:.0f} s, "
                       f"{'passed' if process.returncode == 0 else f'FAILED, exit {process.returncode}'})")
        if process.returncode != 0:
            failed.append(title)
    print("\n== reliability summary")
    for line in summary:
        print(line)
    print(f"total {time.monotonic() - started:.0f} s; "
          + (f"FAILED: {', '.join(failed)}" if failed else "all passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
