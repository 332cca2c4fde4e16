"""Reviews: a mentor's queue, the manager's overview, and the review form."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker import permissions
from tracker.extensions import db
from tracker.forms.reviews import review_form_for
from tracker.models import Recommendation
from tracker.services import coaching, mentoring, reviews
from tracker.services.errors import ValidationFailed
from tracker.web.support import show_reasons, visible_proposal

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.get("/")
def index():
    if permissions.is_manager(current_user):
        waiting, total = mentoring.all_waiting(current_user)
        return render_template("reviews/overview.html", waiting=waiting, total=total,
                               disagreements=mentoring.disagreements(current_user))
    if not permissions.is_mentor(current_user):
        abort(403)
    waiting, done, total = mentoring.review_queue(current_user)
    return render_template("reviews/queue.html", waiting=waiting, done=done, total=total)


@bp.route("/proposals/<id:proposal_id>", methods=["GET", "POST"])
def review(proposal_id: int):
    proposal = visible_proposal(proposal_id)
    if not permissions.can_review(current_user, proposal):
        abort(403)
    rubric = reviews.current_rubric(proposal.team)
    form = review_form_for(rubric)
    if reviews.already_reviewed(proposal, current_user):
        flash(_("You have already reviewed this round of the proposal."), "info")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id, _anchor="reviews"))
    if form.validate_on_submit():
        scores = {c.id: form[f"score_{c.id}"].data for c in rubric.criteria}
        notes = {c.id: form[f"note_{c.id}"].data for c in rubric.criteria}
        try:
            reviews.submit_review(proposal, mentor=current_user, scores=scores, notes=notes, comment=form.comment.data,
                                  recommendation=Recommendation(form.recommendation.data))
            db.session.commit()
        except ValidationFailed as failure:
            show_reasons(form, failure)
        except IntegrityError:  # the same review posted twice at once (met at the flush or the commit)
            db.session.rollback()
            flash(_("You have already reviewed this round of the proposal."), "info")
            return redirect(url_for("proposals.detail", proposal_id=proposal_id, _anchor="reviews"))
        else:
            flash(_("Thank you: your review is saved and the authors are notified."), "info")
            if form.recommendation.data == Recommendation.APPROVE:
                flash(_("What happens next: once the round has its reviews, a manager decides which proposals "
                        "go on the presentation shortlist."), "info")
            return redirect(url_for("reviews.index"))
    db.session.commit()  # a default rubric made on first use
    return render_template("reviews/form.html", proposal=proposal, rubric=rubric, form=form,
                           earlier=coaching.earlier_review(proposal, current_user))
