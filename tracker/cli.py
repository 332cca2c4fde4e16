"""`flask tracker ...` commands: parse, call the importer or a service, commit, print."""
from pathlib import Path

import click
from flask import g
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db
from tracker.importers import TEAM_COLUMN, import_file
from tracker.importers.demo import load_demo_accounts
from tracker.importers.people import import_people
from tracker.importers.programme import load_programme
from tracker.importers.readers import file_format
from tracker.importers.records import FileProblem, Report
from tracker.models import Role, TeamStatus
from tracker.services import accounts, backup, mail, privacy
from tracker.services import teams as team_service
from tracker.services.errors import DATABASE_UNAVAILABLE, DomainError, ValidationFailed
from tracker.services.exports import export_ideas


class TrackerGroup(AppGroup):
    """Every command says so when the database cannot be reached, instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DATABASE_UNAVAILABLE as error:
            raise click.ClickException(_(
                "The database cannot be reached, so nothing was done. Try again in a moment "
                "(%(error)s).", error=str(getattr(error, "orig", None) or error).strip()[:300])) from None


@click.group("tracker", cls=TrackerGroup)
@with_appcontext
def tracker_cli():
    """Policy-idea tracker commands."""
    # Flask-Babel translates only once ``g`` holds something; without this the CLI speaks English.
    g.cli = True


def _team_or_fail(name: str):
    team = team_service.find_team(name)
    if team is None:
        raise click.ClickException(_("Team “%(label)s” does not exist.", label=name))
    return team


@tracker_cli.command("load-programme")
def load_programme_command():
    """Create the programme's teams and import cohort 1's ideas (safe to run again)."""
    report = load_programme()
    db.session.commit()
    for name in report.teams_created:
        click.echo(_("Team created: %(name)s", name=name))
    for file, result in report.imports.items():
        click.echo(f"{file}: " + _summary_line(result))


@tracker_cli.command("import-ideas")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--team", help="Team for rows that do not name one, e.g. '소소기획단 2기'.")
@click.option("--create-teams", is_flag=True, help="Create teams that rows name but do not exist.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the good rows even if some are bad.")
def import_ideas_command(path, team, create_teams, dry_run, skip_invalid):
    """Import past ideas from a CSV, JSON or XLSX file."""
    try:
        report = import_file(path, team=team, create_teams=create_teams, dry_run=dry_run,
                             skip_invalid=skip_invalid)
        if report.written:
            db.session.commit()
        else:
            db.session.rollback()
    except (DomainError, SQLAlchemyError) as error:
        db.session.rollback()
        raise click.ClickException(
            _("Nothing was saved: the database refused the import (%(error)s).", error=str(error)[:300])
        ) from None
    for name in report.teams_created:
        click.echo(_("Team created: %(name)s", name=name))
    _print_report(report)
    if any(error.column == TEAM_COLUMN for error in report.errors):
        click.echo(_("--team names the team of rows without one; --create-teams creates the teams rows name."))
    if not report.ok:
        raise SystemExit(1)


@tracker_cli.command("export-ideas")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--team", help="Only this team's proposals.")
def export_ideas_command(path, team):
    """Export proposals to CSV (UTF-8 with BOM), JSON or XLSX, chosen by the file's extension."""
    try:
        count = export_ideas(path, file_format(path), _team_or_fail(team) if team else None)
    except FileProblem as problem:
        raise click.ClickException(str(problem)) from None
    except OSError as error:
        raise click.ClickException(_("Cannot write %(path)s: %(error)s", path=path,
                                     error=error.strerror or str(error))) from None
    click.echo(_("Exported %(count)d proposals to %(path)s.", count=count, path=path))


@tracker_cli.command("edit-team")
@click.argument("name")
@click.option("--kickoff-date", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--presentation-date", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--end-date", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--status", type=click.Choice([s.value for s in TeamStatus]))
def edit_team_command(name, kickoff_date, presentation_date, end_date, status):
    """Change a team's dates or status, e.g. --presentation-date 2025-10-15."""
    team = _team_or_fail(name)
    changes = {
        "kickoff_on": kickoff_date, "presentation_on": presentation_date,
        "ends_on": end_date, "status": status,
    }
    try:
        team_service.update_team(team, **{
            k: (v.date() if hasattr(v, "date") else TeamStatus(v))
            for k, v in changes.items() if v is not None
        })
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Team updated: %(name)s", name=team.name))


@tracker_cli.command("create-user")
@click.option("--name", required=True, help="The person's name.")
@click.option("--email", help="E-mail address to sign in with.")
@click.option("--staff-id", help="Staff ID to sign in with.")
@click.option("--department")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role]), help="Repeat for several roles.")
def create_user_command(name, email, staff_id, department, roles):
    """Create an account (e.g. the first admin); prints its temporary password once."""
    try:
        user, password = accounts.create_account(accounts.NewAccount(
            name=name, email=email, staff_id=staff_id, department=department,
            roles=tuple(Role(r) for r in roles)), actor=None, address="cli")
    except ValidationFailed as failure:
        raise click.ClickException(" ".join(message for _field, message in failure.reasons)) from None
    db.session.commit()
    click.echo(_("Account created: %(name)s (%(login)s)", name=user.name, login=user.email or user.staff_id))
    click.echo(_("Temporary password (shown only now; it must be changed at the first sign-in): %(password)s",
                 password=password))


@tracker_cli.command("import-people")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Write the good rows even if some are bad.")
def import_people_command(path, dry_run, skip_invalid):
    """Create or update member and mentor accounts from a CSV, JSON or XLSX file."""
    with open(path, "rb") as file:
        report = import_people(file.read(), Path(path).name, actor=None, address="cli",
                               dry_run=dry_run, skip_invalid=skip_invalid)
    if report.written:
        db.session.commit()
    else:
        db.session.rollback()
    _print_report(report)
    for note in report.new_accounts:
        click.echo(_("New account %(name)s (%(login)s), temporary password: %(password)s",
                     name=note.name, login=note.login, password=note.password))
    if not report.ok:
        raise SystemExit(1)


@tracker_cli.command("load-demo")
def load_demo_command():
    """Add demo accounts for a local try-out (never on a production server)."""
    logins, password = load_demo_accounts()
    db.session.commit()
    click.echo(_("Demo accounts (password %(password)s): %(logins)s", password=password,
                 logins=", ".join(logins)))


@tracker_cli.command("personal-data")
@click.option("--due", "list_due", is_flag=True, help="List who is past the retention period.")
@click.option("--pseudonymise", is_flag=True, help="Pseudonymise them (and delete old sign-in records).")
@click.option("--dry-run", is_flag=True, help="With --pseudonymise: say what would be done, change nothing.")
def personal_data_command(list_due, pseudonymise, dry_run):
    """Retention of personal data (개인정보 보호법): who is due, and pseudonymising them."""
    if not (list_due or pseudonymise):
        raise click.UsageError("give --due or --pseudonymise")
    due = privacy.due()
    for entry in due:
        click.echo(f"{entry.user.id}\t{entry.user.name}\t{entry.last_cohort.name}\t"
                   f"{entry.kept_until.isoformat()}\t→ {entry.pseudonym}")
    if list_due:
        click.echo(_("%(num)d people are past the retention period.", num=len(due)))
    if pseudonymise:
        done = privacy.pseudonymise(due, actor=None, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
            click.echo(_("Dry run: %(num)d people would be pseudonymised; nothing was changed.", num=done))
        else:
            db.session.commit()
            click.echo(_("%(num)d people pseudonymised.", num=done))


@tracker_cli.command("send-mail")
def send_mail_command():
    """E-mail each unread notification to the people who chose one mail each (cron: every few minutes)."""
    sent = mail.send_each()
    db.session.commit()
    click.echo(_("%(num)d e-mails sent.", num=sent))


@tracker_cli.command("send-digest")
def send_digest_command():
    """E-mail the daily digest to the people who chose it (cron: each morning)."""
    sent = mail.send_digest()
    db.session.commit()
    click.echo(_("%(num)d e-mails sent.", num=sent))


@tracker_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--with-passwords", is_flag=True,
              help="Also save the password hashes (keep such a file as safe as the database).")
def backup_command(path, with_passwords):
    """Save every table to one file (JSON; gzip-compressed when PATH ends in .gz)."""
    try:
        summary = backup.write_backup(path, with_passwords=with_passwords)
    except OSError as error:
        raise click.ClickException(_("Cannot write %(path)s: %(error)s", path=path,
                                     error=error.strerror or str(error))) from None
    except SQLAlchemyError as error:
        raise click.ClickException(_("No backup was written: the database could not be read "
                                     "(%(error)s).", error=str(error)[:300])) from None
    finally:
        db.session.rollback()
    click.echo(_("Backed up %(rows)d rows of %(tables)d tables to %(path)s.",
                 rows=summary.rows, tables=summary.tables, path=path))
    if not with_passwords:
        click.echo(_("Passwords are not in the backup: after a restore, every account needs a "
                     "new password (or back up with --with-passwords)."))


@tracker_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Delete everything in the database first (otherwise it must be empty).")
def restore_command(path, replace):
    """Load a file written by `flask tracker backup` into the database."""
    try:
        summary = backup.restore_backup(path, replace=replace)
        db.session.commit()
    except backup.BackupProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from None
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(
            _("Nothing was restored: the database refused the backup (%(error)s).",
              error=str(error)[:300])) from None
    click.echo(_("Restored %(rows)d rows of %(tables)d tables from %(path)s.",
                 rows=summary.rows, tables=summary.tables, path=path))
    if not summary.with_passwords:
        click.echo(_("The backup held no passwords: give every account a new password "
                     "before people sign in."))


def _summary_line(report: Report) -> str:
    return _("created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
             "rejected %(rejected)d", created=report.created, updated=report.updated,
             unchanged=report.unchanged, rejected=report.rejected)


def _print_report(report: Report) -> None:
    if report.file_error:
        click.echo(_("The file was not imported: %(error)s", error=report.file_error), err=True)
        return
    for column in report.unknown_columns:
        click.echo(_("Unknown column ignored: %(column)s", column=column))
    for error in report.errors:
        click.echo(_("Row %(row)d, %(column)s: %(message)s", row=error.row,
                     column=error.column or "-", message=error.message), err=True)
    click.echo(_summary_line(report))
    if report.dry_run:
        click.echo(_("Dry run: nothing was written."))
    elif not report.written:
        click.echo(_("Nothing was written because some rows are wrong. Fix them, or use "
                     "--skip-invalid to import the good rows."), err=True)
