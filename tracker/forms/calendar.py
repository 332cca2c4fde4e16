"""The activity form of a team's calendar: what, when, where, who, and what it was about."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField, widgets
from wtforms.validators import InputRequired, Length, Optional

from tracker.forms.base import Form
from tracker.forms.fields import in_our_years, required_id


class CheckboxList(SelectMultipleField):
    """Checkboxes; the service says which chosen ones do not belong (and why)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ActivityForm(Form):
    kind = SelectField(_l("Kind"), validate_choice=True)
    title = StringField(_l("Title"), validators=[Length(max=200)])
    on = DateField(_l("Date"), validators=[InputRequired(), in_our_years])
    starts = TimeField(_l("Starts at"), validators=[InputRequired()])
    ends_on = DateField(_l("End date"), validators=[Optional(), in_our_years])
    ends = TimeField(_l("Ends at"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    subcommittees = CheckboxList(_l("Subcommittees"), coerce=required_id, validate_choice=False)
    attendees = CheckboxList(_l("Attendees"), coerce=required_id, validate_choice=False)
    proposals = CheckboxList(_l("Linked proposals"), coerce=required_id, validate_choice=False)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
