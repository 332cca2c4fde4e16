"""Proposal forms: the list's filters (a GET form: shareable URL), a new idea, the full edit,
a stage move, a comment, carrying an idea over and importing past ideas."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FieldList,
    FormField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker.forms.base import Form
from tracker.forms.fields import MAX_ID, optional_id
from tracker.models import Stage

def _printable(text):
    return "".join(c for c in text if c.isprintable()) if text else text


class ProposalFilterForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional()], filters=[_printable])
    team = SelectField(_l("Team"), coerce=optional_id, validate_choice=False)
    subcommittee = SelectField(_l("Subcommittee"), coerce=optional_id, validate_choice=False)
    stage = SelectField(_l("Stage"), validators=[Optional()], validate_choice=False)
    department = StringField(_l("Responsible department"), validators=[Optional()], filters=[_printable])
    author = StringField(_l("Author"), validators=[Optional()], filters=[_printable])
    stalled = IntegerField(validators=[Optional(), NumberRange(min=1, max=365)])
    sort = SelectField(_l("Sort"), validators=[Optional()], validate_choice=False)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)], default=1)

    def stage_value(self) -> Stage | None:
        try:
            return Stage(self.stage.data) if self.stage.data else None
        except ValueError:
            return None


class IdeaForm(Form):
    """A new idea in a minute: a title and one line are enough."""

    team = SelectField(_l("Team"), coerce=int, validate_choice=False)
    subcommittee = SelectField(_l("Subcommittee"), coerce=optional_id, validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = StringField(_l("One line"), validators=[Optional(), Length(max=500)])


class ReferenceForm(Form):
    class Meta:
        csrf = False

    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    title = StringField(_l("Case"), validators=[Optional(), Length(max=200)])
    url = URLField(_l("Link"), validators=[Optional(), Length(max=500)])
    notes = StringField(_l("Notes"), validators=[Optional()])


class ProposalForm(Form):
    """The full proposal; ``version`` is the version the form was opened at."""

    version = IntegerField(widget=widgets.HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = StringField(_l("One-line summary"), validators=[Optional(), Length(max=500)])
    subcommittee_id = SelectField(_l("Subcommittee"), coerce=optional_id, validate_choice=False)
    problem = TextAreaField(_l("Current situation and problem"), validators=[Optional()])
    proposal_text = TextAreaField(_l("Proposal"), validators=[Optional()])
    expected_effect = TextAreaField(_l("Expected effect"), validators=[Optional()])
    beneficiaries = StringField(_l("Beneficiaries"), validators=[Optional(), Length(max=300)])
    budget_krw = IntegerField(_l("Budget estimate (KRW)"), validators=[Optional(), NumberRange(min=0, max=10**13)])
    department = StringField(_l("Responsible department"), validators=[Optional(), Length(max=100)])
    notes = TextAreaField(_l("Notes"), validators=[Optional()])
    coauthor_ids = SelectMultipleField(_l("Authors"), coerce=int, validate_choice=False,
                                       widget=widgets.ListWidget(prefix_label=False),
                                       option_widget=widgets.CheckboxInput())
    references = FieldList(FormField(ReferenceForm), min_entries=1, max_entries=21)  # 20 and a blank row
    builds_on_id = IntegerField(_l("Builds on proposal no."),
                                validators=[Optional(), NumberRange(min=1, max=MAX_ID)])


class MoveForm(Form):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CommentForm(Form):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])


class CarryOverForm(Form):
    team = SelectField(_l("Into team"), coerce=int, validate_choice=False)


class IdeaImportForm(Form):
    file = FileField(_l("File (CSV, XLSX or JSON)"), validators=[FileRequired(_l("Choose a file."))])
    team = SelectField(_l("Cohort of the rows that name none"), coerce=optional_id, validate_choice=False)


class ImportDecisionForm(Form):
    """The decision on a previewed file: its buttons are the choice (save, save the good rows, cancel)."""
