"""Blueprints: one module each."""
from flask import Flask

from tracker.views import (
    accounts,
    auth,
    board,
    calendar,
    follow_up,
    idea_imports,
    judging,
    main,
    mentors,
    notifications,
    presentation,
    privacy,
    proposal_work,
    proposals,
    reviews,
    settings,
    teams,
)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(teams.bp)
    app.register_blueprint(proposals.bp)
    app.register_blueprint(proposal_work.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(reviews.bp)
    app.register_blueprint(mentors.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(presentation.bp)
    app.register_blueprint(judging.bp)
    app.register_blueprint(follow_up.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(idea_imports.bp)
    app.register_blueprint(privacy.bp)
