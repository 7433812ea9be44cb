"""A local mail viewer for development: `python -m cpevents.devmail`.

Receives the app's email over real SMTP (aiosmtpd, on 127.0.0.1:1025) and shows it on
http://127.0.0.1:1080, newest first, so a newcomer can read what the service sends
(and follow the links in it) without installing anything else. Keeps messages in memory.
"""

from __future__ import annotations

import argparse
import email
import html
import re
import threading
import time
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

MESSAGES: list[dict] = []
LOCK = threading.Lock()


class Sink:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",))
        with LOCK:
            MESSAGES.insert(
                0,
                {
                    "to": ", ".join(envelope.rcpt_tos),
                    "subject": str(message["subject"]),
                    "at": time.strftime("%H:%M:%S"),
                    "text": text.get_content() if text else "",
                },
            )
            del MESSAGES[200:]
        return "250 Message accepted for delivery"


def _linkify(text: str) -> str:
    escaped = html.escape(text)
    return re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', escaped)


class Viewer(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        with LOCK:
            items = list(MESSAGES)
        rows = "".join(
            f"<article><h2>{html.escape(m['subject'])}</h2><p>To {html.escape(m['to'])} at {m['at']}</p>"
            f"<pre>{_linkify(m['text'])}</pre></article>"
            for m in items
        ) or "<p>No email yet. Anything the app sends will appear here.</p>"
        body = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Local mail viewer</title>"
            "<meta http-equiv='refresh' content='5'>"
            "<style>body{font-family:arial,sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
            "article{border-top:2px solid #1d70b8;margin-top:1.5em}pre{white-space:pre-wrap;font-size:1rem}</style>"
            f"</head><body><h1>Email sent by the app (newest first)</h1>{rows}</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--http-port", type=int, default=1080)
    args = parser.parse_args()
    controller = Controller(Sink(), hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    print(f"Mail viewer: SMTP on 127.0.0.1:{args.smtp_port}, read email at http://127.0.0.1:{args.http_port}", flush=True)
    try:
        ThreadingHTTPServer(("127.0.0.1", args.http_port), Viewer).serve_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
