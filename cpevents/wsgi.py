"""WSGI entry point inside the package: `gunicorn cpevents.wsgi:app` for an installed wheel
(`wsgi.py` at the top of a checkout imports this one for `make run` and the tests)."""

import sys

from cpevents import create_app
from cpevents.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    # One line saying what to set, not a traceback. Exit status 4 is gunicorn's "App failed to
    # load": the arbiter stops instead of starting the worker again and again.
    print(f"Error: {error}", file=sys.stderr)
    raise SystemExit(4) from None
