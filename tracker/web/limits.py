"""Request size limits beyond what Flask's settings cover."""
from flask import Flask, request


def register_request_limits(app: Flask) -> None:
    """Only multipart forms (file uploads) may use all of MAX_CONTENT_LENGTH. Werkzeug reads an
    urlencoded form into memory whole, so MAX_FORM_MEMORY_SIZE bounds such a request instead.
    Registered before the extensions, so it runs before the CSRF check reads the form."""

    @app.before_request
    def limit_plain_forms():
        if request.mimetype != "multipart/form-data":
            request.max_content_length = app.config["MAX_FORM_MEMORY_SIZE"]
