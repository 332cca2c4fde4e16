"""Blueprints: one module each."""
from flask import Flask

from tracker.views import main, proposals, teams


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main.bp)
    app.register_blueprint(teams.bp)
    app.register_blueprint(proposals.bp)
