"""What several benches share beyond http_bench.py's servers and databases: a small HTTP client that
keeps its cookies, signing in with a password and the second factor, and percentiles.

Every request goes to 127.0.0.1 only (http_bench.HOST).
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from http_bench import HOST

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    elapsed_ms: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Client:
    """One browser: a keep-alive connection and a cookie jar (the cookies' Secure flag is not
    checked: the bench speaks plain HTTP to a production-configured app on 127.0.0.1)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(form)
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                raw = self.conn.getresponse()
                data = raw.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            break
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if "expires=thu, 01 jan 1970" in value.lower() or val == "":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        if raw.will_close:
            self.close()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data.decode("utf-8", "replace"), elapsed)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, page_path: str, form: dict[str, str]) -> Response:
        """POST `form` to `path` with the CSRF token from the page at `page_path`."""
        page = self.get(page_path)
        token = CSRF.search(page.body)
        if token is None:
            raise RuntimeError(f"no CSRF token on {page_path} ({page.status})")
        return self.request("POST", path, {"csrf_token": token.group(1), **form})

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def sign_in(port: int, email: str, password: str, totp_secret: str | None) -> Client:
    """A client signed in as a demo account (the second factor from its public demo secret)."""
    client = Client(port)
    done = client.post_form("/sign-in", "/sign-in", {"email": email, "password": password})
    if done.status != 302:
        raise RuntimeError(f"could not sign in as {email}: {done.status}")
    if done.location.endswith("/sign-in/code"):
        if not totp_secret:
            raise RuntimeError(f"{email} asks for a second factor and has no demo secret")
        import pyotp

        done = client.post_form("/sign-in/code", "/sign-in/code", {"code": pyotp.TOTP(totp_secret).now()})
        if done.status != 302:
            raise RuntimeError(f"the second factor for {email} was refused: {done.status}")
    elif "/sign-in/" in done.location:
        raise RuntimeError(f"{email} was sent to {done.location} after the password")
    return client


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]
