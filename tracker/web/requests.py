"""What the app reads from a request's form and query string.

A NUL character is never meaningful text, PostgreSQL cannot store it in a text column (the write
failed with a 500) and SQLite would keep it invisibly: it is dropped from every submitted value
before forms and views see them.
"""
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


class CleanedValues(ImmutableMultiDict):
    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            mapping = mapping.items()
        super().__init__([(key, _clean(value)) for key, value in mapping or ()])


def _clean(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class TrackerRequest(Request):
    parameter_storage_class = CleanedValues
