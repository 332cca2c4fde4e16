"""Caches of what is read from proposals and reviews, and the rule that keeps them right.

The rule: every flush that writes a proposal, its authors, a stage change, a team, a subcommittee
or an account's name moves the ``proposals`` stamp (a row of ``cache_stamp``) in the same
transaction, and so does the importer's bulk insert; every flush that writes a review, its
scores, a rubric's criteria or a mentor's match moves the ``reviews`` stamp. A cached value is
kept with the stamps it was built at and is only used while the stamps read when it is asked for
are the same; otherwise it is built again (or brought up to date, where its kind knows how).
Reading the stamp before the data means a cache can only be older than its stamp says when a
newer stamp is already committed, so the next request rebuilds it. Without a stamp row (a
database filled by other means, before the first write) nothing is kept, nor while the session's
own transaction has moved a stamp (it may yet roll back).

A third stamp, ``pages``, moves as every transaction of the app's session that wrote anything
commits (a flush, or an INSERT, UPDATE or DELETE run through the session, text ones included):
whole rendered pages are kept against it (tracker/views/kept_pages.py). Writes made beside the
session (another program, psql, a raw connection) must call ``bump(name=PAGES)`` too.

The signed-in person is read together with every stamp, in one statement
(``with_stamps``/``note_read``): the stamps a request asks for later in the same transaction are
those, read no later than anything the request reads after the person, so a value built now is
kept at stamps no newer than its data.

Caches live in the process (each server worker has its own) and per app.
"""
import random
import re
import threading

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.models import (
    CacheStamp, MentorAssignment, Proposal, ProposalAuthor, Review, ReviewScore, RubricCriterion, StageChange,
    Subcommittee, Team, User,
)

PROPOSALS = "proposals"
REVIEWS = "reviews"
PAGES = "pages"
ALL = (PROPOSALS, REVIEWS, PAGES)


def _moves_proposals(written) -> bool:
    # teams, subcommittees and authors too: whether a team is archived decides who sees its proposals,
    # and searches and exports show their names (an account's name is an author's name)
    return (isinstance(written, (Proposal, StageChange, ProposalAuthor, Team, Subcommittee))
            or (isinstance(written, User) and sa.inspect(written).attrs.name.history.has_changes()))


def _moves_reviews(written) -> bool:
    return isinstance(written, (Review, ReviewScore, RubricCriterion, MentorAssignment))


_WATCHED = {PROPOSALS: _moves_proposals, REVIEWS: _moves_reviews}
_KEPT = 64  # cached values of one kind per app; the oldest go first
_lock = threading.Lock()
_MOVED = "tracker.stamp_moved"  # in Session.info: this transaction moved a stamp (or will, as it commits)
_PAGES_DUE = "tracker.pages_due"  # in Session.info: this transaction wrote; ``pages`` moves as it commits
_READ = "tracker.stamps_read"  # in Session.info: the stamps read along with the person in this transaction


def bump(connection=None, name: str = PROPOSALS) -> None:
    """Move the stamp (in the caller's transaction)."""
    if connection is None:
        connection = db.session.connection()
        db.session.info[_MOVED] = True
    table = CacheStamp.__table__
    moved = connection.execute(sa.update(table).where(table.c.name == name).values(value=table.c.value + 1))
    if not moved.rowcount:
        # a random start: tables emptied and filled again never repeat an earlier stamp
        connection.execute(sa.insert(table).values(name=name, value=random.randrange(1, 2**48)))


def current(name: str = PROPOSALS) -> int | None:
    return db.session.scalar(sa.select(CacheStamp.value).where(CacheStamp.name == name))


def with_stamps(statement: sa.Select) -> sa.Select:
    """``statement`` with every stamp (``ALL``) as extra columns: one round trip instead of two."""
    table = CacheStamp.__table__
    return statement.add_columns(*(sa.select(table.c.value).where(table.c.name == name).scalar_subquery()
                                   for name in ALL))


def note_read(values) -> None:
    """The stamps ``with_stamps`` read (in ``ALL``'s order): later lookups of this transaction use them."""
    db.session.info[_READ] = dict(zip(ALL, values, strict=True))


def read_again_what_came_before() -> None:
    """Before building a value to keep: what this transaction read before its stamps (the signed-in
    person, roles and all) is read again, as it may be older than them. Not when the stamps were
    read in the person's own statement (``note_read``): then both are exactly as old."""
    if _READ not in db.session.info:
        db.session.expire_all()


def _read(names: tuple[str, ...]) -> tuple | None:
    noted = db.session.info.get(_READ)
    if noted is not None and all(noted[n] is not None for n in names):
        return tuple(noted[n] for n in names)
    if len(names) == 1:
        value = current(names[0])
        return None if value is None else (value,)
    found = dict(db.session.execute(sa.select(CacheStamp.name, CacheStamp.value).where(CacheStamp.name.in_(names))).all())
    return tuple(found[n] for n in names) if len(found) == len(names) else None


def lookup(key: tuple, names: tuple[str, ...] = (PROPOSALS,)):
    """``(stamps, value)``: the value kept for ``key`` if it was built at the current stamps, else
    None (kept values are never None). Pass the stamps to ``remember`` with a value built now.
    Stamps of None: nothing can be kept. What the caller read before the stamps is as old as it is:
    a value that depends on it reads it again (``read_again_what_came_before``)."""
    stamp = _read(names)
    if stamp is None:
        return None, None
    with _lock:
        hit = _store(key).get(key)
    if hit is not None and hit[0] == stamp and not db.session.info.get(_MOVED):
        return stamp, hit[1]
    return stamp, None


def remember(key: tuple, stamp: tuple | None, value, at_most: int = _KEPT) -> None:
    """Keep ``value`` for ``key`` at the stamps ``lookup`` read (unless this transaction moved one)."""
    if stamp is None or db.session.info.get(_MOVED):  # amid writes of its own that may yet roll back
        return
    store = _store(key)
    with _lock:
        store.pop(key, None)
        store[key] = (stamp, value)
        while len(store) > at_most:
            store.pop(next(iter(store)))


def _store(key: tuple) -> dict:
    return current_app.extensions.setdefault("tracker.stamped_cache", {}).setdefault(key[0], {})


def cached(key: tuple, build, names: tuple[str, ...] = (PROPOSALS,), keep: int = _KEPT, refresh=None):
    """``build()``'s value for ``key``, kept until one of the stamps moves (not kept without them).

    ``key[0]`` names the kind of value; each kind keeps at most ``keep`` values, the most recently
    built, so that one kind (say, search counts) never pushes out another (the gram index).
    With ``refresh``, a value kept at an older stamp is brought up to date by ``refresh(old)``
    (which must not change ``old``: other requests may be reading it) instead of built again."""
    stamp, value = lookup(key, names)
    if value is not None:
        return value
    if stamp is None:
        return build()
    if refresh is not None:
        with _lock:
            old = _store(key).get(key)
        value = refresh(old[1]) if old is not None else build()
    else:
        value = build()
    remember(key, stamp, value, keep)
    return value


@event.listens_for(Session, "before_flush")
def _writes_move_the_stamp(session, _flush_context, _instances) -> None:
    written = [o for group in (session.new, session.dirty, session.deleted) for o in group]
    if not written:
        return
    _wrote(session)
    moved = [name for name, moves in _WATCHED.items() if any(moves(o) for o in written)]
    if not moved:
        return
    connection = session.connection()
    if PROPOSALS not in moved:
        # every writer of these stamps locks the proposals row first (PostgreSQL; SQLite has one
        # writer anyway), so two transactions never wait for each other's rows in opposite orders
        table = CacheStamp.__table__
        connection.execute(sa.select(table.c.value).where(table.c.name == PROPOSALS).with_for_update())
    for name in moved:  # proposals first: _WATCHED's order
        bump(connection, name)


_WRITE_STATEMENT = re.compile(r"\s*(insert|update|delete|merge|truncate|with)\b", re.IGNORECASE)


@event.listens_for(Session, "do_orm_execute")
def _statements_are_writes_too(state) -> None:
    """INSERT, UPDATE and DELETE run through the session pass by the flush (text ones as well)."""
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete or (
            isinstance(statement, sa.TextClause) and _WRITE_STATEMENT.match(statement.text)):
        _wrote(state.session)


def _wrote(session) -> None:
    session.info[_MOVED] = True
    session.info[_PAGES_DUE] = True


@event.listens_for(Session, "before_commit")
def _move_pages_as_it_commits(session) -> None:
    """``pages`` moves once, last, as a transaction that wrote commits: its row is locked only for the
    commit itself (never while a long import runs), and always after any other stamp's row."""
    session.flush()  # what the commit is about to flush counts too
    if session.info.pop(_PAGES_DUE, False):
        bump(session.connection(), PAGES)


@event.listens_for(Session, "after_transaction_end")
def _transaction_over(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_MOVED, None)
        session.info.pop(_READ, None)
