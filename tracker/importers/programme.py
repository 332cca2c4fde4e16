"""The programme data shipped with the package: the teams, and cohort 1's ideas as an idea file
that goes through the same importer as any user's file."""
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.importers import ImportReport, import_file
from tracker.importers.records import FileProblem
from tracker.models import TeamStatus
from tracker.services import teams as team_service

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass
class ProgrammeReport:
    teams_created: list[str] = field(default_factory=list)
    imports: dict[str, ImportReport] = field(default_factory=dict)


def load_programme(data_dir: Path = DATA_DIR) -> ProgrammeReport:
    """Create the teams that do not exist yet and import the idea files, keeping what is there:
    running it again changes nothing, and edits made since are not overwritten."""
    spec = json.loads((data_dir / "programme.json").read_text(encoding="utf-8"))
    report = ProgrammeReport()
    for team in spec["teams"]:
        name = team_service.team_name(team["program_name"], team["cohort"])
        if team_service.find_team(name) is None:
            team_service.create_team(
                team["program_name"], team["cohort"], year=team.get("year"),
                kickoff_on=_date(team.get("kickoff_on")),
                presentation_on=_date(team.get("presentation_on")),
                ends_on=_date(team.get("ends_on")),
                status=TeamStatus(team.get("status", "active")),
            )
            report.teams_created.append(name)
    for item in spec["idea_files"]:
        result = import_file(data_dir / item["file"], team=item["team"], keep_existing=True)
        if not result.ok:
            raise FileProblem(f"{item['file']}: {result.file_error or result.errors}")
        report.imports[item["file"]] = result
    return report


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
