"""The settings managers change: how the similar-idea hint matches."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length

from tracker.forms.base import Form


class SimilarSettingsForm(Form):
    threshold = IntegerField(_l("Share of shared character pairs a hint needs (%)"), validators=[InputRequired()])
    ignored_words = TextAreaField(
        _l("Words to ignore"), validators=[Length(max=8000)],
        description=_l("One per line, or separated by commas. Words every other title holds (행정, 사업, 추진, 지원 …) "
                       "make unrelated ideas look alike."))
