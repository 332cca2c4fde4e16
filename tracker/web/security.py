"""Sign-in required everywhere but a few public pages, forced password change, session checks,
and the security headers of every response."""
from flask import Flask, abort, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import permissions
from tracker.extensions import login_manager
from tracker.services import accounts
from tracker.web.errors import signed_out_answer, wants_json

# calendar.feed: calendar apps cannot sign in; the secret token in its address is the key.
PUBLIC_ENDPOINTS = {"auth.login", "main.health", "main.set_language", "static", "calendar.feed", "privacy.notice"}
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "main.set_language", "static"}
SESSION_ID = "sid"  # in the session cookie: the signed-in browser's row (services.accounts.start_session)
# What an external judge's limited account (no role) may open: its own sign-in, password and the judging pages.
JUDGE_ENDPOINTS = {"main.index", "auth.change_password", "auth.logout", "auth.account", "auth.sign_out_everywhere",
                   "judging.index", "judging.sheet_list", "judging.sheet", "judging.save_field",
                   "privacy.my_data_json", "privacy.my_data_page"}

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'none'",
])


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS, behind a TLS proxy
    (TRUSTED_PROXIES), or when config says so."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or request.is_secure or bool(app.config["TRUSTED_PROXIES"])


def register_security(app: Flask) -> None:
    app.session_interface = SessionInterface()
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(lambda user_id: accounts.load_session_user(user_id, session.get(SESSION_ID)))

    @login_manager.unauthorized_handler
    def to_sign_in():
        if wants_json():  # a page's script learns that the sign-in ended, instead of a sign-in page
            return signed_out_answer(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
        if not permissions.uses_the_archive(current_user) and request.endpoint not in JUDGE_ENDPOINTS:
            abort(404)  # an external judge's account: nothing but its judging pages exists for it
        return None

    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if app.config["TRUSTED_PROXIES"] and request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if "_user_id" in session:  # a signed-in person's page: never kept by a browser or a proxy
            response.headers.setdefault("Cache-Control", "no-store")
        return response
