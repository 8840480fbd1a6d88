"""Starting the local server: a socket on 127.0.0.1, a token made for this launch, uvicorn."""

from __future__ import annotations

import errno
import secrets
import socket
import threading
import time
from collections.abc import Callable
from datetime import date

from studyplan.app.workspace import Workspace
from studyplan.core.errors import StudyplanError
from studyplan.web.app import create_app, site_for

HOST = "127.0.0.1"  # loopback only: nothing on the network can reach the pages


class ServeError(StudyplanError):
    """The server cannot start."""


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:`port` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} is in use — pass another with --port, or --port 0 for any free one"
            ) from None
        raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    return sock


def serve(
    workspace: Workspace,
    port: int,
    open_browser: bool,
    fixed_day: date | None,
    announce: Callable[[str], None],
) -> None:
    """Serve the pages until interrupted; `announce` hears the page's address (with this
    launch's token) first, once the server can take requests."""
    import uvicorn

    sock = listen(port)
    port = sock.getsockname()[1]
    site = site_for(workspace, port, secrets.token_urlsafe(32), fixed_day)
    site.workspaces.current().settings()  # a database that cannot be opened stops us here
    url = f"http://{HOST}:{port}/?token={site.token}"
    config = uvicorn.Config(
        create_app(site),
        log_level="warning",
        access_log=False,
        server_header=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)

    def when_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.02)
        if server.started and open_browser:
            import webbrowser

            webbrowser.open(url)

    announce(url)
    threading.Thread(target=when_started, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
