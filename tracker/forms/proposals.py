"""The proposal list's filter form (a GET form: no CSRF token, shareable URL)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional

from tracker.models import Stage


MAX_ID = 2**31 - 1


def _optional_id(value):
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("out of range")
    return number


def _printable(text):
    return "".join(c for c in text if c.isprintable()) if text else text


class ProposalFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional()], filters=[_printable])
    team = SelectField(_l("Team"), coerce=_optional_id, validate_choice=False)
    subcommittee = SelectField(_l("Subcommittee"), coerce=_optional_id, validate_choice=False)
    stage = SelectField(_l("Stage"), validators=[Optional()], validate_choice=False)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)], default=1)

    def stage_value(self) -> Stage | None:
        try:
            return Stage(self.stage.data) if self.stage.data else None
        except ValueError:
            return None
