"""``<id:name>`` in a route: a whole number a database key can hold (a larger one is a 404, not a
database error)."""
from werkzeug.routing import IntegerConverter

from tracker.forms.fields import MAX_ID


class IdConverter(IntegerConverter):
    def __init__(self, url_map):
        super().__init__(url_map, max=MAX_ID)


def register_converters(app) -> None:
    app.url_map.converters["id"] = IdConverter
