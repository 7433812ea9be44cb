"""WSGI entry point in a checkout: `gunicorn wsgi:app` (and `FLASK_APP=wsgi.py flask ...`).
The app and its start-up refusal live in cpevents/wsgi.py, which an installed wheel uses."""

from cpevents.wsgi import app  # noqa: F401
