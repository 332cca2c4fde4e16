"""Field helpers every form module shares: ids in the database's range, dates in our years."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MAX_ID = 2**31 - 1  # the largest id a database integer key holds
FIRST_YEAR, LAST_YEAR = 1900, 2100


def required_id(value) -> int:
    """A chosen id (coerce= of a select): a whole number in the database's range."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("out of range")
    return number


def optional_id(value) -> int | None:
    """The same, or None when nothing was chosen."""
    if value in (None, "", "None"):
        return None
    return required_id(value)


def in_our_years(_form, field) -> None:
    """A date validator: years a programme can be in (a typo of 20255 is refused, not stored)."""
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
