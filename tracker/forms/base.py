"""The base of every form: the posted form fields only.

Flask-WTF also reads a JSON body, and merges every uploaded file part into the form, so a text
field sent as a file reached the validators as a file object (a 500 on any form, sign-in
included) and a JSON body slipped past what reads ``request.form`` (the sign-in limit). Here a
form reads ``request.form``, and a file part only for a file field."""
from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict, MultiDict


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:
                return formdata
            if not _is_submitted():
                return None
            file_fields = {name for name, field in form._fields.items() if isinstance(field, FileField)}
            files = MultiDict([(name, part) for name, part in request.files.items(multi=True) if name in file_fields])
            return CombinedMultiDict((files, request.form)) if files else request.form
