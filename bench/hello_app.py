"""The baseline for bench/http_bench.py: a bare Flask app with one route that returns "hello".

Served the same way as cpevents (`gunicorn -w 2 hello_app:app`), it shows what Flask and
gunicorn alone can do on this machine, so the cpevents numbers can be read as a ratio.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
