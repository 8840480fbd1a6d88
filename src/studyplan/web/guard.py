"""What keeps the local server from being a way in, checked before any page runs.

- The `Host` header must name this server, `127.0.0.1:PORT` or `localhost:PORT`: a page
  elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused.
- Every request carries the launch's token: `?token=` in the link `studyplan serve` printed,
  kept afterwards in a cookie (HttpOnly, SameSite=Strict, named after the port). A request
  with the token in its address is sent on to the same address without it, so the token does
  not stay in the address bar or the history.
- A request that changes anything (any method but GET and HEAD) must also come from this
  server's own pages: an `Origin` header naming this server, and the token in its form
  (field `token`) or in the `X-Studyplan-Token` header; the cookie alone is not enough. Its
  body is read here, at most MAX_BODY bytes, and handed on to the page unchanged.
- Every answer carries a Content-Security-Policy that allows scripts, styles, fonts and
  images from this server only (no inline script), and forbids framing.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_FIELD = "token"
TOKEN_HEADER = b"x-studyplan-token"
MAX_BODY = 1 << 20  # a form: a typed answer or a solution, never more than this
SAFE_METHODS = frozenset({"GET", "HEAD"})
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" makes Chromium send Origin: null
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def cookie_name(port: int) -> str:
    """Cookies are shared by every port of a host: each server keeps its own."""
    return f"studyplan-{port}"


class Guard:
    """ASGI middleware in front of every page and file of the server on `port`."""

    def __init__(self, app: ASGIApp, *, port: int, token: str) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(port)
        self.hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        headers = _headers(scope)
        host = headers.get(b"host", b"").decode("latin-1")
        if host not in self.hosts:
            await _refuse(
                send, 403, f"This server answers to 127.0.0.1 and localhost only, not {host!r}."
            )
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        in_address = next((value for name, value in query if name == TOKEN_FIELD), None)
        if scope["method"] in SAFE_METHODS:
            if in_address is not None and self._valid(in_address):
                await self._redirect_without_token(scope, query, send)
                return
            if not self._valid(_cookie(headers, self.cookie)):
                await _refuse(
                    send,
                    403,
                    "This page needs the link `studyplan serve` printed when it started "
                    "(with its ?token=…).",
                )
                return
            await self.app(scope, receive, _with_headers(send, scope["path"]))
            return
        if headers.get(b"origin", b"").decode("latin-1") != f"http://{host}":
            await _refuse(
                send, 403, "Refused: this request did not come from studyplan's own page."
            )
            return
        body = await _read_body(receive)
        if body is None:
            await _refuse(send, 413, "Refused: the form is larger than 1 MiB.")
            return
        given = headers.get(TOKEN_HEADER, b"").decode("latin-1") or _form_token(headers, body)
        if not self._valid(given):
            await _refuse(send, 403, "Refused: the request lacks this server's token.")
            return
        await self.app(scope, _replay(body), _with_headers(send, scope["path"]))

    def _valid(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    async def _redirect_without_token(
        self, scope: Scope, query: list[tuple[str, str]], send: Send
    ) -> None:
        rest = urlencode([(name, value) for name, value in query if name != TOKEN_FIELD])
        location = scope["path"] + (f"?{rest}" if rest else "")
        cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("utf-8")),
                    (b"set-cookie", cookie.encode()),
                    (b"cache-control", b"no-store"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers, names in lower case; a repeated one keeps its first value."""
    found: dict[bytes, bytes] = {}
    for name, value in scope.get("headers", []):
        found.setdefault(bytes(name).lower(), bytes(value))
    return found


def _cookie(headers: dict[bytes, bytes], name: str) -> str | None:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _form_token(headers: dict[bytes, bytes], body: bytes) -> str | None:
    if not headers.get(b"content-type", b"").startswith(b"application/x-www-form-urlencoded"):
        return None
    fields = parse_qsl(body.decode("utf-8", "replace"), max_num_fields=100)
    return next((value for name, value in fields if name == TOKEN_FIELD), None)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None past MAX_BODY bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _with_headers(send: Send, path: str) -> Send:
    """Every answer with the security headers; pages never cached, the package's own
    files for an hour."""
    caching = b"private, max-age=3600" if path.startswith("/static/") else b"no-store"

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {bytes(name).lower() for name, _ in headers}
            headers += [(name, value) for name, value in SECURITY_HEADERS if name not in names]
            if b"cache-control" not in names:
                headers.append((b"cache-control", caching))
            message = {**message, "headers": headers}
        await send(message)

    return sending


async def _refuse(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"cache-control", b"no-store"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": (text + "\n").encode("utf-8")})
