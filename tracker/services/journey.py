"""A proposal's whole journey in one timeline, from the first idea to the last progress note: its
stage changes and edits, each review round with its average, the presentation's mark and rank, the
department's progress notes, and carry-overs from and to other cohorts. What a person may not see
(reviews, an unclosed ranking) is left out for them."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from tracker import clock, permissions
from tracker.models import Handoff, Proposal, ProposalRevision, StageChange
from tracker.services import presentation, reviews, selection
from tracker.services.proposals.queries import ProposalPage


@dataclass(frozen=True)
class Moment:
    at: datetime
    kind: str  # "stage", "edit", "review", "presentation", "progress", "carried_from" or "carried_to"
    who: str | None = None
    entry: StageChange | ProposalRevision | None = None  # a stage change or an edit, shown as they are
    note: str | None = None  # a stage change's note, if this person may read it
    text: str | None = None  # the other kinds: one line
    proposal: Proposal | None = None  # what a carry-over links to


def journey(page: ProposalPage, viewer, *, rounds: list[reviews.ReviewRound], newest_first: bool = False
            ) -> list[Moment]:
    """``rounds``: the review rounds this person may see (none if they may not read reviews)."""
    proposal = page.proposal
    reads_reviews = permissions.can_view_reviews(viewer, proposal)  # a sending back quotes the mentor's review
    moments = [Moment(e.created_at, "stage", _actor(e), entry=e,
                      note=e.note if e.action != "request_changes" or reads_reviews else None)
               for e in page.stage_changes]
    moments += [Moment(e.created_at, "edit", _actor(e), entry=e) for e in page.revisions]
    moments += _review_rounds(rounds)
    moments += _presentation(proposal, viewer)
    moments += _progress(page.handoff)
    if proposal.carried_over_from is not None and permissions.can_view_proposal(viewer, proposal.carried_over_from):
        source = proposal.carried_over_from
        moments.append(Moment(proposal.created_at, "carried_from", proposal=source, text=_(
            "Carried over from %(team)s, no. %(number)d", team=source.team.name, number=source.id)))
    for copy in page.carried_over_to:
        moments.append(Moment(copy.created_at, "carried_to", proposal=copy, text=_(
            "Carried over to %(team)s as no. %(number)d", team=copy.team.name, number=copy.id)))
    order = {"carried_from": 0, "stage": 1, "edit": 2}
    moments.sort(key=lambda m: (m.at, order.get(m.kind, 3)))
    return moments[::-1] if newest_first else moments


def _actor(entry) -> str:
    return entry.actor.name if entry.actor else _("Import")


def _review_rounds(rounds: list[reviews.ReviewRound]) -> list[Moment]:
    found = []
    for round_ in rounds:
        last = max(r.submitted_at for r in round_.reviews)
        found.append(Moment(last, "review", text=_(
            "Review round %(number)d: %(count)d review(s), weighted average %(average).2f",
            number=round_.number, count=len(round_.reviews), average=round_.average)))
    return found


def _presentation(proposal: Proposal, viewer) -> list[Moment]:
    event = presentation.event_of(proposal.team)
    if event is None or event.scoring_closed_at is None or not permissions.can_see_ranking(viewer, event):
        return []
    if proposal.id not in {slot.proposal_id for slot in event.slots}:
        return []
    row = next((r for r in selection.ranking(event) if r.proposal.id == proposal.id), None)
    if row is None or row.rank is None:
        return []
    return [Moment(event.scoring_closed_at, "presentation", text=_(
        "Presentation event: rank %(rank)d, standardised mark %(standardised).2f, mean mark %(mark).2f "
        "from %(judges)d judges", rank=row.rank, standardised=row.standardised, mark=row.average,
        judges=len(row.marks)))]


def _progress(handoff: Handoff | None) -> list[Moment]:
    if handoff is None:
        return []
    found = []
    for note in handoff.notes:
        progress = f" ({note.progress}%)" if note.progress is not None else ""
        found.append(Moment(clock.start_of(note.noted_on), "progress", note.author.name if note.author else None,
                            text=_("Progress note: %(body)s", body=note.body) + progress))
    return found
