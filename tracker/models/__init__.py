"""Every model, importable from one place (and seen by Alembic's autogenerate)."""
from tracker.models.activity import (
    Activity, ActivityKind, activity_attendee, activity_proposal, activity_subcommittee,
)
from tracker.models.audit import AuditEvent
from tracker.models.discussion import Comment, Notification
from tracker.models.follow_up import FollowUpNote, Handoff
from tracker.models.people import Role, User, UserRole, UserSession
from tracker.models.proposal import (
    BEFORE_SELECTION,
    FUNNEL,
    Proposal,
    ProposalAuthor,
    ProposalReference,
    ProposalRevision,
    Stage,
    StageChange,
    further,
)
from tracker.models.presentation import EventJudge, JudgeConflict, JudgeScore, PresentationEvent, PresentationSlot
from tracker.models.search import ProposalGram, ProposalText
from tracker.models.setting import Setting
from tracker.models.upload import PendingImport
from tracker.models.review import Recommendation, Review, ReviewScore, Rubric, RubricCriterion
from tracker.models.team import MentorAssignment, MentorKind, Membership, Subcommittee, Team, TeamStatus

__all__ = [
    "AuditEvent",
    "Comment", "Notification",
    "FollowUpNote", "Handoff",
    "EventJudge", "JudgeConflict", "JudgeScore", "PresentationEvent", "PresentationSlot",
    "Activity", "ActivityKind", "activity_attendee", "activity_proposal", "activity_subcommittee",
    "Role", "User", "UserRole", "UserSession",
    "BEFORE_SELECTION", "FUNNEL", "further",
    "Proposal", "ProposalAuthor", "ProposalReference", "ProposalRevision", "Stage", "StageChange",
    "ProposalGram", "ProposalText", "Setting", "PendingImport",
    "Recommendation", "Review", "ReviewScore", "Rubric", "RubricCriterion",
    "MentorAssignment", "MentorKind", "Membership", "Subcommittee", "Team", "TeamStatus",
]
