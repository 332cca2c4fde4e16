"""Forms of the presentation event: the event itself, its running order, judges, scores, selection."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from tracker.forms.base import Form
from tracker.forms.fields import MAX_ID, in_our_years, required_id


class EventForm(Form):
    held_on = DateField(_l("Date"), validators=[InputRequired(), in_our_years])
    starts_at = TimeField(_l("Starts at"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    minutes_per_slot = IntegerField(_l("Minutes per presentation"), default=15,
                                    validators=[InputRequired(), NumberRange(min=1, max=240)])


class SlotAddForm(Form):
    proposal_id = SelectField(_l("Shortlisted proposal"), coerce=required_id, validate_choice=False)


class SlotMoveForm(Form):
    steps = IntegerField(validators=[InputRequired(), NumberRange(min=-1000, max=1000)])


class SlotMinutesForm(Form):
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=1, max=240)])


class OrderForm(Form):
    order = StringField(validators=[DataRequired(), Length(max=5000)])

    def slot_ids(self) -> list[int] | None:
        try:
            return [required_id(part) for part in self.order.data.split(",")]
        except ValueError:
            return None


class JudgeAddForm(Form):
    user_id = SelectField(_l("Account"), coerce=required_id, validate_choice=False)


class ExternalJudgeForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class ScoreForm(Form):
    """One field of a judge's score sheet, as the page's script saves it on change."""
    proposal_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    criterion = StringField(validators=[DataRequired(), Length(max=40)])
    score = IntegerField(validators=[Optional(), NumberRange(min=0, max=1000)])
    judge = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])  # whose sheet kept it


class DecisionEntry(Form):
    class Meta:
        csrf = False

    proposal_id = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    decision = SelectField(_l("Decision"), validate_choice=True, choices=[
        SelectChoice("", _l("— not decided —")), SelectChoice("select", _l("Selected")),
        SelectChoice("not_select", _l("Not selected"))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class SelectionForm(Form):
    entries = FieldList(FormField(DecisionEntry), min_entries=0)
