"""WSGI entry point: `gunicorn wsgi:app`."""

from cpevents import create_app

app = create_app()
