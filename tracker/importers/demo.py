"""Demo accounts for a local try-out (`make run`): one per role, with a shared known password.
They live only in the demo data file, never in the app's configuration."""
import json
from pathlib import Path

from tracker.importers.programme import DATA_DIR
from tracker.models import MentorKind, Role
from tracker.services import accounts, teams

DEMO_FILE = DATA_DIR / "demo.json"


def load_demo_accounts(path: Path = DEMO_FILE) -> tuple[list[str], str]:
    """Create the demo accounts that do not exist yet; returns (all demo sign-in IDs, password)."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    for item in spec["accounts"]:
        if accounts.find_by_identifier(item["staff_id"]) is not None:
            continue
        user, _temporary = accounts.create_account(accounts.NewAccount(
            name=item["name"], staff_id=item["staff_id"], department=item.get("department"),
            roles=tuple(Role(r) for r in item["roles"])), actor=None, address=None)
        accounts.set_known_password(user, spec["password"])
        if "member_of" in item:
            team = teams.find_team(item["member_of"]["team"])
            teams.add_member(team, user, department=item.get("department"),
                             subcommittee=_subcommittee(team, item["member_of"]["subcommittee"]))
        if "mentor_of" in item:
            spot = item["mentor_of"]
            team = teams.find_team(spot["team"])
            teams.assign_mentor(user, _subcommittee(team, spot["subcommittee"]),
                                kind=MentorKind(spot["kind"]), organisation=spot.get("organisation"),
                                field=spot.get("field"))
    return [item["staff_id"] for item in spec["accounts"]], spec["password"]


def _subcommittee(team, name: str):
    matched = teams.SubcommitteeMatcher(team.subcommittees).match(name)
    return next(s for s in team.subcommittees if s.name_ko == matched.name_ko)
