"""Every rule and state change. Services flush; the caller (view, CLI, importer run) commits."""
