"""The proposal list's filter form (a GET form: no CSRF token, shareable URL)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional

from tracker.models import Stage


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class ProposalFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional()])
    team = SelectField(_l("Team"), coerce=_optional_int, validate_choice=False)
    subcommittee = SelectField(_l("Subcommittee"), coerce=_optional_int, validate_choice=False)
    stage = SelectField(_l("Stage"), validators=[Optional()], validate_choice=False)
    page = IntegerField(validators=[Optional(), NumberRange(min=1)], default=1)

    def stage_value(self) -> Stage | None:
        try:
            return Stage(self.stage.data) if self.stage.data else None
        except ValueError:
            return None
