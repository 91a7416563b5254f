"""The review app served for tools and browser tests: waitress on a free port, and a logged-in client."""

from __future__ import annotations

import re
import threading
from typing import Tuple

import requests

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def serve(app: object) -> Tuple[str, object]:
    """Serve ``app`` with waitress on a free port in a daemon thread; returns (base URL, server)."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="review-tools")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.effective_port}", server


def logged_in(base: str, username: str, password: str) -> requests.Session:
    """A requests session logged in through the form."""
    session = requests.Session()
    token = CSRF_FIELD.search(session.get(f"{base}/login", timeout=30).text).group(1)
    response = session.post(f"{base}/login", data={"username": username, "password": password, "csrf_token": token},
                            allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"log-in failed: {response.status_code}")
    return session
