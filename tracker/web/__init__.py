"""The web plumbing under the blueprints of views/: sign-in required and security headers, request
limits, error pages, the id route converter, what several views share (the team a URL names,
form reasons, downloads, where a person starts), and the request class."""
