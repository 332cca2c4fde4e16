"""Mentor forms: a review scored on the team's rubric, the rubric itself, matching, mentoring sessions."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FloatField,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.forms.base import Form
from tracker.models import MentorKind, Recommendation
from tracker.models.review import MAX_CRITERIA


class ReviewForm(Form):
    recommendation = RadioField(_l("Recommendation"), choices=[SelectChoice(r.value, r.value) for r in Recommendation],
                                validators=[InputRequired()])
    comment = TextAreaField(_l("Comment for the authors"), validators=[Optional(), Length(max=5000)])


def review_form_for(rubric) -> ReviewForm:
    """A review form with one 1–5 choice per criterion of this rubric (``score_<criterion id>``)."""
    fields = {
        f"score_{c.id}": RadioField(c.name_ko, coerce=int, validators=[InputRequired()],
                                    choices=[SelectChoice(n, str(n)) for n in range(c.min_score, c.max_score + 1)])
        for c in rubric.criteria
    }
    fields.update({f"note_{c.id}": TextAreaField(_l("Comment on this criterion (optional)"),
                                                 validators=[Optional(), Length(max=2000)])
                   for c in rubric.criteria})
    return type("RubricReviewForm", (ReviewForm,), fields)()


class CriterionForm(Form):
    class Meta:
        csrf = False

    name_ko = StringField(_l("Criterion (Korean)"), validators=[Optional(), Length(max=80)])
    name_en = StringField(_l("Criterion (English)"), validators=[Optional(), Length(max=80)])
    explanation = StringField(_l("What it asks"), validators=[Optional(), Length(max=500)])
    weight = FloatField(_l("Weight"), default=1.0, validators=[Optional(), NumberRange(min=0.1, max=10)])


class RubricForm(Form):
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=MAX_CRITERIA + 1)  # and a blank row


class MentorAssignmentForm(Form):
    user = SelectField(_l("Mentor"), coerce=int, validate_choice=True)
    subcommittee = SelectField(_l("Subcommittee"), coerce=int, validate_choice=True)
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, k.value) for k in MentorKind], validators=[DataRequired()])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=120)])
    field = StringField(_l("Field of expertise"), validators=[Optional(), Length(max=120)])


class MentoringSessionForm(Form):
    on = DateField(_l("Date"), validators=[InputRequired()])
    subcommittee = SelectField(_l("Subcommittee"), coerce=int, validate_choice=True)
    mentor = SelectField(_l("Mentor"), coerce=int, validate_choice=True)
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    proposals = SelectMultipleField(_l("Proposals discussed"), coerce=int, validate_choice=True,
                                    widget=widgets.ListWidget(prefix_label=False),
                                    option_widget=widgets.CheckboxInput())
