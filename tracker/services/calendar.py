"""A team's activities calendar: the month and the year, activities added and edited, the iCalendar feed.

Times are stored in UTC and shown on the programme's clock (Seoul's). The team's kick-off and presentation dates are
on the calendar as all-day events unless an activity of that kind is already recorded on the day.
Mentoring sessions recorded through the mentoring page carry a date only (midnight UTC): they are
all-day events too.
"""
import calendar as month_calendar
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import icalendar
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from tracker import clock, permissions, vocabulary
from tracker.extensions import db
from tracker.models import Activity, ActivityKind, Membership, MentorAssignment, Proposal, Subcommittee, Team, User
from tracker.services.errors import NotAllowed, NotFound, ValidationFailed

TEAM_DATES = {ActivityKind.KICKOFF: "kickoff_on", ActivityKind.PRESENTATION: "presentation_on"}
TOKEN_MIN_LENGTH = 32
UID_DOMAIN = "policy-idea-tracker"


@dataclass(frozen=True)
class Event:
    """One thing on the calendar: an activity, or a team date that has no activity of its own."""

    kind: ActivityKind
    day: date
    activity: Activity | None = None

    @property
    def all_day(self) -> bool:
        return self.activity is None or self.activity.date_only

    @property
    def title(self) -> str | None:
        """The activity's own title; None for a team date (shown by its kind's label)."""
        return self.activity.title if self.activity else None

    @property
    def last_day(self) -> date:
        """The day it ends (a benchmarking trip may last several days)."""
        if self.activity is None or self.activity.ends_at is None:
            return self.day
        return max(self.day, local_day(self.activity.ends_at))

    @property
    def continues(self) -> bool:
        """Shown on a later day of a multi-day activity, not the day it starts."""
        return self.activity is not None and self.day > local_day(self.activity.starts_at)


@dataclass
class Day:
    on: date
    in_month: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=31)).replace(day=1)

    @property
    def event_count(self) -> int:
        return sum(len(day.events) for week in self.weeks for day in week if day.in_month)


@dataclass(frozen=True)
class ActivityDraft:
    kind: str
    title: str
    on: date
    starts: time
    ends_on: date | None = None
    ends: time | None = None
    place: str | None = None
    notes: str | None = None
    subcommittee_ids: list[int] = field(default_factory=list)
    attendee_ids: list[int] = field(default_factory=list)
    proposal_ids: list[int] = field(default_factory=list)


def local_day(moment: datetime) -> date:
    return clock.local_date(moment)


def _utc(on: date, at: time = time(0)) -> datetime:
    return datetime.combine(on, at, tzinfo=clock.zone()).astimezone(timezone.utc)


def default_month(team: Team, on: date | None = None) -> date:
    """This month in the team's year; otherwise the month of its kick-off (or January)."""
    today = on or clock.today()
    year = team.year or (team.kickoff_on.year if team.kickoff_on else today.year)
    if today.year == year:
        return today.replace(day=1)
    if team.kickoff_on and team.kickoff_on.year == year:
        return team.kickoff_on.replace(day=1)
    return date(year, 1, 1)


def default_year(team: Team) -> int:
    return default_month(team).year


def events_between(team: Team, first: date = date.min, last: date = date.max) -> list[Event]:
    """Activities and team dates from ``first`` to ``last`` (the programme's days, both included;
    every one of the team's without them), in order."""
    within = [Activity.team_id == team.id]
    if first != date.min:  # started on or after the first day, or still going on it
        within.append(sa.or_(Activity.starts_at >= _utc(first), Activity.ends_at >= _utc(first)))
    if last != date.max:
        within.append(Activity.starts_at < _utc(last + timedelta(days=1)))
    activities = db.session.scalars(
        sa.select(Activity).where(*within)
        .options(joinedload(Activity.led_by), selectinload(Activity.subcommittees))
        .order_by(Activity.starts_at, Activity.id)).all()
    events = [Event(a.kind, local_day(a.starts_at), a) for a in activities]
    recorded = {(e.kind, e.day) for e in events}
    for kind, attribute in TEAM_DATES.items():
        on = getattr(team, attribute)
        if on is not None and first <= on <= last and (kind, on) not in recorded:
            events.append(Event(kind, on))
    # all-day events first on their day, then by the clock
    return sorted(events, key=lambda e: (e.day, not e.all_day,
                                         e.activity.starts_at if e.activity else datetime.min.replace(tzinfo=timezone.utc),
                                         e.activity.id if e.activity else 0))


def month_of(team: Team, first: date) -> Month:
    """The month as weeks (Sunday first) of days, each with its events."""
    first = first.replace(day=1)
    weeks = month_calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    by_day: dict[date, list[Event]] = {}
    for event in events_between(team, weeks[0][0], weeks[-1][-1]):
        day = max(event.day, weeks[0][0])
        while day <= min(event.last_day, weeks[-1][-1]):  # on each of its days
            by_day.setdefault(day, []).append(event if day == event.day else Event(event.kind, day, event.activity))
            day += timedelta(days=1)
    return Month(first, [[Day(d, d.month == first.month, by_day.get(d, [])) for d in week] for week in weeks])


def year_of(team: Team, year: int) -> list[tuple[date, list[Event]]]:
    """The year's events grouped by month: (first day of month, events), months with events only."""
    months: dict[date, list[Event]] = {}
    for event in events_between(team, date(year, 1, 1), date(year, 12, 31)):
        months.setdefault(event.day.replace(day=1), []).append(event)
    return list(months.items())


def get_activity(team: Team, activity_id: int) -> Activity:
    activity = db.session.scalar(
        sa.select(Activity).where(Activity.id == activity_id, Activity.team_id == team.id)
        .options(joinedload(Activity.led_by), joinedload(Activity.recorded_by),
                 selectinload(Activity.subcommittees), selectinload(Activity.attendees),
                 selectinload(Activity.proposals)))
    if activity is None:
        raise NotFound(activity_id)
    return activity


def attendee_choices(team: Team, keep_ids=()) -> list[User]:
    """Accounts that may attend: the team's active members and the mentors of its subcommittees,
    and those of ``keep_ids`` (already recorded) even when deactivated since."""
    members = sa.select(Membership.user_id).where(Membership.team_id == team.id)
    mentors = (sa.select(MentorAssignment.user_id).join(Subcommittee)
               .where(Subcommittee.team_id == team.id))
    return list(db.session.scalars(
        sa.select(User).where(sa.or_(User.id.in_(members), User.id.in_(mentors)),
                              sa.or_(User.is_active.is_(True), User.id.in_(list(keep_ids))))
        .order_by(User.name, User.id)))


def create_activity(team: Team, draft: ActivityDraft, *, actor: User) -> Activity:
    if not permissions.can_manage_activities(actor, team):
        raise NotAllowed("only managers add activities to the calendar")
    activity = Activity(team=team, recorded_by=actor)
    _apply(activity, team, draft, actor)
    db.session.add(activity)
    db.session.flush()
    return activity


def update_activity(activity: Activity, draft: ActivityDraft, *, actor: User) -> Activity:
    if not permissions.can_manage_activities(actor, activity.team):
        raise NotAllowed("only managers edit activities on the calendar")
    _apply(activity, activity.team, draft, actor)
    db.session.flush()
    return activity


def _apply(activity: Activity, team: Team, draft: ActivityDraft, actor: User) -> None:
    reasons = []
    try:
        kind = ActivityKind(draft.kind)
    except ValueError:
        kind = None
        reasons.append(("kind", _("Choose the kind of activity.")))
    title = (draft.title or "").strip()
    if not title:
        reasons.append(("title", _("Give the activity a title.")))
    starts_at = _utc(draft.on, draft.starts)
    ends_at = None
    if draft.ends_on is not None and draft.ends is None:
        reasons.append(("ends", _("Give the time it ends.")))
    elif draft.ends is not None:
        ends_at = _utc(draft.ends_on or draft.on, draft.ends)
        if ends_at <= starts_at:
            reasons.append(("ends", _("The end must be after the start.")))
    subcommittees = [s for s in team.subcommittees if s.id in set(draft.subcommittee_ids)]
    if len(subcommittees) != len(set(draft.subcommittee_ids)):
        reasons.append(("subcommittees", _("Choose subcommittees of this team.")))
    allowed = {u.id: u for u in attendee_choices(team)}
    if not set(draft.attendee_ids) <= set(allowed):
        reasons.append(("attendees", _("Choose attendees among the team's members and mentors.")))
    proposals = list(db.session.scalars(sa.select(Proposal).where(
        Proposal.id.in_(draft.proposal_ids), Proposal.team_id == team.id,
        permissions.visible_proposals(actor)))) if draft.proposal_ids else []
    if len(proposals) != len(set(draft.proposal_ids)):
        reasons.append(("proposals", _("Choose proposals of this team.")))
    if reasons:
        raise ValidationFailed(reasons)
    # links to proposals this person may not see stay as they were
    hidden = [p for p in activity.proposals if not permissions.can_view_proposal(actor, p)]
    activity.kind = kind
    activity.title = title
    activity.starts_at, activity.ends_at = starts_at, ends_at
    activity.place = (draft.place or "").strip() or None
    activity.notes = (draft.notes or "").strip() or None
    activity.subcommittees = subcommittees
    activity.attendees = [allowed[i] for i in dict.fromkeys(draft.attendee_ids)]
    activity.proposals = hidden + proposals


# The feed: a private address per team, for calendar apps that cannot sign in.

def feed_token(team: Team) -> str:
    """The team's feed token, made on first use."""
    if team.calendar_token is None:
        team.calendar_token = secrets.token_urlsafe(32)
        db.session.flush()
    return team.calendar_token


def reset_feed_token(team: Team, *, actor: User) -> str:
    """A new address; the old one stops working at once."""
    if not permissions.can_reset_calendar_feed(actor, team):
        raise NotAllowed("only managers reset a calendar feed")
    team.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    return team.calendar_token


def team_for_token(token: str) -> Team:
    """The one team whose feed token this exactly is."""
    if not token or len(token) < TOKEN_MIN_LENGTH or len(token) > 64:
        raise NotFound("feed")
    team = db.session.scalar(sa.select(Team).where(Team.calendar_token == token)
                             .options(selectinload(Team.subcommittees)))
    if team is None or not secrets.compare_digest(team.calendar_token, token):
        raise NotFound("feed")
    return team


def feed_ics(team: Team) -> bytes:
    """The team's calendar as iCalendar text: every activity and team date (Korean, the programme's language)."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{UID_DOMAIN}//{team.name}//KO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", team.name)
    cal.add("x-wr-timezone", clock.zone().key)
    stamp = clock.now()
    for event in events_between(team):
        cal.add_component(_vevent(team, event, stamp))
    return cal.to_ical()


def _vevent(team: Team, event: Event, stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    kind_label = vocabulary.label(event.kind, "ko")
    activity = event.activity
    if activity is None:
        vevent.add("uid", f"team-{team.id}-{event.kind.value}@{UID_DOMAIN}")
        vevent.add("summary", f"{team.name} {kind_label}")
    else:
        vevent.add("uid", f"activity-{activity.id}@{UID_DOMAIN}")
        vevent.add("summary", activity.title)
        if activity.place:
            vevent.add("location", activity.place)
        vevent.add("categories", [kind_label])
    vevent.add("dtstamp", stamp)
    if event.all_day:
        vevent.add("dtstart", event.day)
        vevent.add("dtend", event.day + timedelta(days=1))
    else:
        vevent.add("dtstart", activity.starts_at.astimezone(timezone.utc))
        vevent.add("dtend", (activity.ends_at or activity.starts_at + timedelta(hours=1)).astimezone(timezone.utc))
    lines = [kind_label]
    if activity is not None:
        if activity.subcommittees:
            lines.append("분과: " + ", ".join(s.name_ko for s in activity.subcommittees))
        if activity.led_by:
            lines.append("진행: " + activity.led_by.name)
        if activity.notes:
            lines.append(activity.notes)
    vevent.add("description", "\n".join(lines))
    return vevent
