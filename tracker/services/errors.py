"""The errors services raise; views and the CLI turn them into messages."""
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

# What SQLAlchemy raises when the database cannot be reached, is restarting or is locked too long.
DATABASE_UNAVAILABLE = (OperationalError, DisconnectionError, InterfaceError)


class DomainError(Exception):
    """A rule of the programme was not met."""


class NotFound(DomainError):
    pass


class ValidationFailed(DomainError):
    """One or more fields are wrong: ``reasons`` holds (field, message) pairs."""

    def __init__(self, reasons: list[tuple[str, str]]):
        super().__init__("; ".join(message for _, message in reasons))
        self.reasons = reasons


class NotAllowed(DomainError):
    """The person may not do this; views answer 403."""
