"""People: one account per person, with any number of roles."""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.extensions import db
from tracker.models.base import CreatedAtMixin, UTCDateTime, str_enum


class Role(enum.StrEnum):
    MEMBER = "member"
    MENTOR = "mentor"
    MANAGER = "manager"
    ADMIN = "admin"
    # A department's contact for handed-off proposals: sees and updates only those.
    LIAISON = "liaison"


class User(CreatedAtMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    staff_id: Mapped[str | None] = mapped_column(sa.String(50), unique=True)
    department: Mapped[str | None] = mapped_column(sa.String(100))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    # Part of the session's identity: raising it (deactivation, new password) ends every session.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Limited accounts (an external judge) stop working after this day.
    access_until: Mapped[date | None]
    # A temporary password (new account, reset) works until then; the person's own has no end.
    temporary_password_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Past the retention period: the name is a pseudonym and the contact fields are gone.
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Notifications by e-mail too, when the city's relay is configured: "off", "each" or "daily".
    email_notifications: Mapped[str] = mapped_column(sa.String(10), default="off", server_default="off")

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", viewonly=True)
    mentor_assignments: Mapped[list["MentorAssignment"]] = relationship(
        back_populates="user", viewonly=True)

    @property
    def access_expired(self) -> bool:
        return self.access_until is not None and clock.today() > self.access_until

    def has_role(self, role: Role) -> bool:
        return any(r.role == role for r in self.roles)

    @property
    def role_set(self) -> set[Role]:
        return {r.role for r in self.roles}

    # Flask-Login's user interface
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class UserRole(db.Model):
    __table_args__ = (sa.UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))

    user: Mapped[User] = relationship(back_populates="roles")


class UserSession(CreatedAtMixin, db.Model):
    """A signed-in browser: its id is in the session cookie, and the session counts only while the
    row exists. Signing out deletes it (a copied cookie is then worth nothing); signing out
    everywhere deletes all of a person's."""
    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
