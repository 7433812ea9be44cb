"""A small local stand-in for GOV.UK Notify's API, for the tests of text messages (issue 17).

It checks each request as Notify's API documents it (docs.notifications.service.gov.uk/rest-api):
POST /v2/notifications/sms with `Authorization: Bearer <JWT>`, the JWT signed HS256 with the
secret part of the API key, `iss` the service id, `iat` within 30 seconds of now; a JSON body
with `phone_number`, `template_id` (a UUID) and `personalisation` (an object). It answers as
Notify does: 201 with id, reference, content, template and uri; 403 AuthError for a bad token;
400 ValidationError for a bad body, and "phone_number Not a UK mobile number" for INVALID_NUMBER;
429 RateLimitError once for RATE_LIMITED_NUMBER, then 201.

Every request it refused for being malformed is kept in `problems`, so a test can assert that
what the app sends is what Notify expects.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

from tests.support import free_port

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"cpevents_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
INVALID_NUMBER = "+447700900999"  # Notify says it is not a UK mobile number
RATE_LIMITED_NUMBER = "+447700900429"  # Notify says "too many requests" the first time


class NotifyServer:
    def __init__(self) -> None:
        self.sent: list[dict] = []  # accepted requests: phone_number, template_id, personalisation, reference
        self.problems: list[str] = []
        self.rate_limited: set[str] = set()
        self.lock = threading.Lock()
        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def clear(self) -> None:
        with self.lock:
            self.sent.clear()
            self.problems.clear()
            self.rate_limited.clear()

    def to(self, number: str) -> list[dict]:
        with self.lock:
            return [s for s in self.sent if s["phone_number"] == number]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, error: str, message: str, problem: bool = True) -> None:
                if problem:
                    with server.lock:
                        server.problems.append(f"{status} {error}: {message}")
                self._answer(status, {"status_code": status, "errors": [{"error": error, "message": message}]})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path != "/v2/notifications/sms":
                    return self._error(404, "NotFound", f"no such path {self.path}")
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer "):
                    return self._error(401, "AuthError", "Unauthorized: authentication token must be provided")
                try:
                    header = jwt.get_unverified_header(auth[7:])
                    claims = jwt.decode(auth[7:], SECRET, algorithms=["HS256"], options={"verify_iat": False})
                except jwt.PyJWTError as error:
                    return self._error(403, "AuthError", f"Invalid token: {error}")
                if header.get("alg") != "HS256" or header.get("typ") != "JWT":
                    return self._error(403, "AuthError", "Invalid token: algorithm used is not HS256")
                if claims.get("iss") != SERVICE_ID:
                    return self._error(403, "AuthError", "Invalid token: service not found")
                if not isinstance(claims.get("iat"), int) or abs(time.time() - claims["iat"]) > 30:
                    return self._error(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
                if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
                    return self._error(400, "BadRequestError", "Content-Type must be application/json")
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._error(400, "BadRequestError", "Invalid JSON supplied in POST data")
                number, template_id, personalisation = body.get("phone_number"), body.get("template_id"), body.get("personalisation")
                if not isinstance(number, str) or not number:
                    return self._error(400, "ValidationError", "phone_number is a required property")
                try:
                    uuid.UUID(str(template_id))
                except ValueError:
                    return self._error(400, "ValidationError", "template_id is not a valid UUID")
                if template_id != TEMPLATE_ID:
                    return self._error(400, "BadRequestError", "Template not found")
                if not isinstance(personalisation, dict) or not isinstance(personalisation.get("body"), str) or not personalisation["body"]:
                    return self._error(400, "BadRequestError", "Missing personalisation: body")
                if number == INVALID_NUMBER:
                    return self._error(400, "ValidationError", "phone_number Not a UK mobile number", problem=False)
                with server.lock:
                    if number == RATE_LIMITED_NUMBER and number not in server.rate_limited:
                        server.rate_limited.add(number)
                        limited = True
                    else:
                        limited = False
                        server.sent.append({"phone_number": number, "template_id": template_id, "personalisation": personalisation,
                                            "reference": body.get("reference")})
                if limited:
                    return self._error(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds", problem=False)
                notification_id = str(uuid.uuid4())
                return self._answer(201, {
                    "id": notification_id,
                    "reference": body.get("reference"),
                    "content": {"body": personalisation["body"], "from_number": "GOVUK"},
                    "uri": f"{server.base_url}/v2/notifications/{notification_id}",
                    "template": {"id": template_id, "version": 1, "uri": f"{server.base_url}/services/{SERVICE_ID}/templates/{template_id}"},
                    "scheduled_for": None,
                })

        return Handler
