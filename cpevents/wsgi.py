"""WSGI entry point inside the package, for an installed wheel: `gunicorn cpevents.wsgi:app`.

(`wsgi.py` at the top of a checkout does the same for `make run` and the tests.)"""

from cpevents import create_app

app = create_app()
