"""Account management forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.formatting import label
from tracker.forms.base import Form
from tracker.forms.fields import optional_id
from tracker.models import Role


class _RoleLabel:
    """A role's name in the language of the request that renders it."""

    def __init__(self, role: Role):
        self.role = role

    def __str__(self) -> str:
        return label(self.role)


class RoleChoices(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label=None, **kwargs):
        super().__init__(label, choices=[SelectChoice(r.value, _RoleLabel(r)) for r in Role], **kwargs)

    def roles(self) -> set[Role]:
        return {Role(v) for v in self.data or []}


class AccountForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    staff_id = StringField(_l("Staff ID"), validators=[Optional(), Length(max=50)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=100)])
    roles = RoleChoices(_l("Roles"))
    subcommittee = SelectField(_l("Cohort and subcommittee"), coerce=optional_id, validate_choice=False)


class PlacementForm(Form):
    subcommittee = SelectField(_l("Cohort and subcommittee"), coerce=optional_id, validate_choice=False,
                               validators=[DataRequired(_l("Choose a subcommittee."))])


class RolesForm(Form):
    roles = RoleChoices(_l("Roles"))


class ActionForm(Form):
    """A button that posts: only the CSRF token."""


class PeopleImportForm(Form):
    file = FileField(_l("File (CSV, XLSX or JSON)"), validators=[FileRequired(_l("Choose a file."))])
    dry_run = BooleanField(_l("Only check the file; save nothing"))
    skip_invalid = BooleanField(_l("Save the good rows even if some rows are wrong"))
