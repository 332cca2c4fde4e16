"""Similar-idea lookup, full-text search and the status board on a 10,000-proposal archive, timed in one run.

    .venv/bin/python bench/lookup_speed.py [--rows 10000] [--repeat 50] [--database-url URL]

It imports the generated archive of bench/import_speed.py, then times each lookup as a manager
(sees everything) and as a member (the visibility clause applies), with a trivial query as the floor;
then whole pages through the app (signed in as the manager), with /healthz as the floor.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from bench.import_speed import make_csv  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.importers import import_ideas  # noqa: E402
from tracker.importers.programme import load_programme  # noqa: E402
from tracker.models import Proposal, Role  # noqa: E402
from tracker.services import accounts, archive, similar, teams  # noqa: E402

PASSWORD = "bench-password-1"
PAGES = ["/healthz", "/teams/{team}/board", "/teams/{team}/report", "/overview", "/proposals/?q=빈집",
         "/proposals/?team={team}&stage=developing&sort=updated", "/proposals/{proposal}",
         "/proposals/similar?q=빈집을 고쳐 청년 창업공간으로", "/reviews/"]

LOOKUPS = {
    "floor: SELECT 1": lambda viewer: db.session.execute(sa.text("SELECT 1")).scalar(),
    "similar ideas: 빈집을 고쳐 청년 창업공간으로": lambda viewer: similar.similar_ideas(
        "빈집을 고쳐 청년 창업공간으로", viewer),
    "search q=빈집 (page 1 + count)": lambda viewer: archive.proposal_list(
        archive.ProposalFilter(text="빈집"), 1, 20, viewer),
    "search q=황리단길 야간 (two words)": lambda viewer: archive.proposal_list(
        archive.ProposalFilter(text="황리단길 야간"), 1, 20, viewer),
}


def timed(call, viewer, repeat: int) -> list[float]:
    call(viewer)  # warm the caches once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call(viewer)
        times.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_programme()
            assert import_ideas(make_csv(args.rows), "bench.csv").ok
            manager, _ = accounts.create_account(accounts.NewAccount(
                name="운영", staff_id="bench-m", roles=(Role.MANAGER,)), actor=None, address=None)
            member, _ = accounts.create_account(accounts.NewAccount(
                name="단원", staff_id="bench-u", roles=(Role.MEMBER,)), actor=None, address=None)
            teams.add_member(teams.find_team("소소기획단 2기"), member)
            db.session.commit()
            print(f"{args.rows:,} proposals on {db.engine.dialect.name}; {args.repeat} runs each; ms")
            print("| lookup | viewer | median | p95 | median / floor |")
            print("| --- | --- | ---: | ---: | ---: |")
            floor = None
            for name, call in LOOKUPS.items():
                for label, viewer in (("manager", manager), ("member", member)):
                    times = sorted(timed(call, db.session.merge(viewer), args.repeat))
                    median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
                    floor = floor or median
                    print(f"| {name} | {label} | {median:.1f} | {p95:.1f} | {median / floor:,.0f}x |")
            team = teams.find_team("소소기획단 2기").id
            proposal = db.session.scalar(sa.select(sa.func.max(Proposal.id)))
            accounts.set_known_password(manager, PASSWORD)
            manager.must_change_password = False
            db.session.commit()
            client = app.test_client()
            assert client.post("/auth/login", data={"identifier": "bench-m", "password": PASSWORD}).status_code == 302
            print()
            print("| page (manager, test client) | median ms | p95 ms | median / /healthz |")
            print("| --- | ---: | ---: | ---: |")
            floor = None
            for template in PAGES:
                url = template.format(team=team, proposal=proposal)
                times = sorted(timed(lambda _v: _get(client, url), None, args.repeat))
                median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
                floor = floor or median
                print(f"| {url} | {median:.1f} | {p95:.1f} | {median / floor:,.1f}x |")
            db.drop_all()


def _get(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


if __name__ == "__main__":
    main()
