"""The programme's settings page (managers): how similar ideas are matched."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import permissions
from tracker.forms.settings import SimilarSettingsForm
from tracker.services import settings
from tracker.web.support import attempt

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/similar-ideas", methods=["GET", "POST"])
def similar_ideas():
    if not permissions.can_change_settings(current_user):
        abort(403)
    now = settings.similar_settings()
    form = SimilarSettingsForm(data={"threshold": round(now.threshold * 100),
                                     "ignored_words": "\n".join(now.ignored_words)})
    if form.validate_on_submit() and attempt(
            lambda: settings.save_similar_settings(form.threshold.data / 100,
                                                   settings.ignored_words_from(form.ignored_words.data),
                                                   actor=current_user),
            _("The similar-idea settings are saved."), form=form):
        return redirect(url_for("settings.similar_ideas"))
    return render_template("settings/similar_ideas.html", form=form, now=now)
