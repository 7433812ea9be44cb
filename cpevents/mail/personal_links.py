"""Personal links in email: sealed in the outbox, filled in only in the message the worker sends.

A personal link (password reset, set password, confirm email, a young person's invitation,
feedback, registration cancel, champion confirm) is a key: whoever holds it can act as the person.
Organisers read every email on the Email page, and anyone who can read the database can read the
outbox, so neither may ever hold one in clear. One mechanism, used by every email:

- A service passes each personal link to `queue_email(..., secrets={"link": url})`. The template
  is rendered with a placeholder in the link's place (`[[personal link <32 random hex>]]`, random
  per message so text someone typed can never be filled in), so the stored bodies hold no link.
- The links are sealed (Fernet: AES and HMAC-SHA256) in `outbox_messages.sealed_links`, under a
  key derived from OUTBOX_KEY or, when that is not set, from SECRET_KEY.
- The worker opens them and fills the placeholders only in the message it hands to SMTP.
- When the message is sent, cancelled, refused by the receiving server, or has been failed for a
  week, the sealed links are dropped and the placeholders become "[personal link removed]".
  A message whose links were dropped cannot be retried: it would carry a broken link.

A route whose URL part is named `token` is a personal link. queue_email() refuses (raises
UnsealedLinkError) an email whose HTML links to one without passing it as a secret, so a new
email cannot forget; and every page that shows a stored message hides such links too, which covers
messages written before links were sealed.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import secrets as random

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app
from markupsafe import escape

LINK_REMOVED = "[personal link removed]"
PLACEHOLDER = re.compile(r"\[\[personal link [0-9a-f]{32}\]\]")


class UnsealedLinkError(RuntimeError):
    """A personal link was about to be stored in an email's body in clear."""


class UnreadableLinks(Exception):
    """The sealed links cannot be opened with the keys configured now (the key changed)."""


# --- placeholders -----------------------------------------------------------------------------------


def placeholders(links: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """For each named link: what the template gets in its place, and placeholder -> link."""
    in_template, filled = {}, {}
    for name, url in links.items():
        if not url:
            raise ValueError(f"personal link {name!r} is empty")
        placeholder = f"[[personal link {random.token_hex(16)}]]"
        in_template[name] = placeholder
        filled[placeholder] = url
    return in_template, filled


def fill(body: str, filled: dict[str, str], *, html: bool) -> str:
    """The body as the recipient gets it. In HTML the link is escaped, as Jinja would have done."""
    for placeholder, url in filled.items():
        body = body.replace(placeholder, str(escape(url)) if html else url)
    return body


def remove(body: str) -> str:
    """The body with every placeholder and every personal link replaced by LINK_REMOVED."""
    return _token_links().sub(LINK_REMOVED, PLACEHOLDER.sub(LINK_REMOVED, body))


# --- sealing ---------------------------------------------------------------------------------------------


def seal(filled: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(filled).encode()).decode()


def unseal(sealed: str) -> dict[str, str]:
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except InvalidToken as error:
        raise UnreadableLinks() from error


def _fernet() -> MultiFernet:
    """OUTBOX_KEY (several, comma-separated, to change it: the first seals, any opens) or, when
    not set, SECRET_KEY. Either is stretched to a Fernet key with HKDF, so any string will do."""
    keys = [k.strip() for k in (current_app.config.get("OUTBOX_KEY") or "").split(",") if k.strip()]
    return MultiFernet([_derived(key) for key in keys or [current_app.config["SECRET_KEY"]]])


@functools.lru_cache(maxsize=8)
def _derived(key: str) -> Fernet:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cpevents outbox", info=b"personal links in email").derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


# --- finding personal links ----------------------------------------------------------------------------


def token_paths(app: Flask | None = None) -> list[str]:
    """The path before `<token>` of every personal-link route: /i/, /f/, /reset-password/ ..."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as the app
    paths = app.extensions.get("cpevents.personal_link_paths")
    if paths is None:
        paths = sorted({rule.rule.split("<", 1)[0] for rule in app.url_map.iter_rules() if "token" in rule.arguments}, key=len, reverse=True)
        app.extensions["cpevents.personal_link_paths"] = paths
    return paths


def _token_links() -> re.Pattern:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as the app
    pattern = app.extensions.get("cpevents.personal_link_pattern")
    if pattern is None:
        prefixes = "|".join(re.escape(p) for p in token_paths(app))
        pattern = re.compile(rf"https?://[^\s\"'<>]*?(?:{prefixes})[^\s\"'<>]+")
        app.extensions["cpevents.personal_link_pattern"] = pattern
    return pattern


def refuse_unsealed(html_body: str, template: str) -> None:
    """Raise when the HTML links to a personal link in clear. Only href values are looked at:
    text someone typed is escaped (no `"`), so it can never make this refuse an email."""
    pattern = _token_links()
    for href in re.findall(r'href="([^"]*)"', html_body):
        if pattern.search(href):
            raise UnsealedLinkError(f"emails/{template}.html links to a personal link in clear: pass it to queue_email(secrets=...)")
