"""Forms of the follow-up: the hand-off, the department's decisions and dated progress notes."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker import clock
from tracker.forms.base import Form
from tracker.forms.fields import in_our_years


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class HandoffForm(Form):
    department = StringField(_l("Responsible department"), validators=[Optional(), Length(max=100)])
    liaison_id = SelectField(_l("Department liaison"), coerce=optional_id, validate_choice=False)
    shared_on = DateField(_l("Date shared"), default=clock.today, validators=[Optional(), in_our_years])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class DecisionForm(Form):
    action = SelectField(_l("Decision"), validate_choice=True)
    note = TextAreaField(_l("Note (required): why"), validators=[Optional(), Length(max=2000)])
    plan = TextAreaField(_l("Plan"), validators=[Optional(), Length(max=5000)])
    budget_year = IntegerField(_l("Budget year"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=5000)])


class ProgressNoteForm(Form):
    noted_on = DateField(_l("Date"), default=clock.today, validators=[InputRequired(), in_our_years])
    progress = IntegerField(_l("Progress (%)"), validators=[Optional(), NumberRange(min=0, max=100)])
    body = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=5000)])


class ResponseForm(Form):
    response = TextAreaField(_l("The department's response"), validators=[Optional(), Length(max=5000)])


class PlanForm(Form):
    """The implementation plan an adopting department gives, with its completion date."""

    plan = TextAreaField(_l("Implementation plan"), validators=[Optional(), Length(max=5000)])
    planned_on = DateField(_l("Planned completion"), validators=[Optional(), in_our_years])
    delay_reason = TextAreaField(_l("Why later (needed when the date moves later)"),
                                 validators=[Optional(), Length(max=2000)])
