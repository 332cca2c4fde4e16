"""WTForms (Flask-WTF) shapes and field validation; no rules, no writes."""
