"""Home, health check and the language switch."""
from flask import Blueprint, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from tracker.formatting import LANGUAGE_COOKIE
from tracker.web.navigation import home, is_local_path

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return redirect(home(current_user))


@bp.get("/healthz")
def health():
    return jsonify(status="ok")


@bp.get("/lang/<code>")
def set_language(code: str):
    target = request.args.get("next", "")
    response = redirect(target if is_local_path(target) else url_for("teams.index"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response
