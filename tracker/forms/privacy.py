"""The privacy notice's text, in Korean and English (Markdown)."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from tracker.forms.base import Form


class NoticeForm(Form):
    korean = TextAreaField(_l("Notice in Korean (Markdown)"), validators=[Length(max=50_000)])
    english = TextAreaField(_l("Notice in English (Markdown)"), validators=[Length(max=50_000)])
