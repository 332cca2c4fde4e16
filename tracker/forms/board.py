"""The board's filters (GET) and the move form on each card."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.forms.base import Form
from tracker.forms.fields import MAX_ID, optional_id


class BoardFilterForm(Form):
    class Meta:
        csrf = False

    subcommittee = SelectField(_l("Subcommittee"), coerce=optional_id, validate_choice=False)
    stalled = IntegerField(_l("Stalled after (days)"), default=14,
                           validators=[Optional(), NumberRange(min=1, max=365)])


class CardMoveForm(Form):
    proposal_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    action = SelectField(_l("Move to"), validate_choice=False, validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    back = HiddenField()
