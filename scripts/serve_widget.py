"""Serve the widget's demo clinic page: ``python -m scripts.serve_widget``.

``/`` is widget/demo/index.html and ``/widget.js`` comes from widget/dist (build it
with ``make widget``). With ``--server-url`` the demo page's ``data-server-url`` is
rewritten, so the page talks to a Rasa server on another port. Local use only: it
binds to 127.0.0.1 by default.
"""

from __future__ import annotations

import argparse
import html
import re
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
WIDGET = ROOT / "widget"
SERVER_URL_ATTRIBUTE = re.compile(r'data-server-url="[^"]*"')


class WidgetHandler(SimpleHTTPRequestHandler):
    """Files from the demo directory, then from dist; HTML optionally rewritten."""

    def __init__(
        self, *args, directories: tuple[Path, ...], server_url: str | None, headers: dict[str, str], **kwargs
    ) -> None:
        self.directories = directories
        self.server_url = server_url
        self.extra_headers = headers
        super().__init__(*args, directory=str(directories[0]), **kwargs)

    def translate_path(self, path: str) -> str:
        """The first existing file for ``path`` in the served directories."""
        relative = unquote(urlsplit(path).path).lstrip("/") or "index.html"
        for directory in self.directories:
            candidate = (directory / relative).resolve()
            if candidate.is_relative_to(directory.resolve()) and candidate.is_file():
                return str(candidate)
        return str(self.directories[0] / "__missing__")

    def send_head(self):  # noqa: D102 - SimpleHTTPRequestHandler hook
        path = Path(self.translate_path(self.path))
        if path.suffix != ".html" or not path.is_file() or self.server_url is None:
            return super().send_head()
        page = SERVER_URL_ATTRIBUTE.sub(
            f'data-server-url="{html.escape(self.server_url, quote=True)}"', path.read_text(encoding="utf-8")
        ).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        return _Bytes(page)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


class _Bytes:
    """A minimal file-like object for ``SimpleHTTPRequestHandler.copyfile``."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        self.data = b""


def make_server(
    host: str = "127.0.0.1",
    port: int = 8080,
    server_url: str | None = None,
    directories: tuple[Path, ...] = (WIDGET / "demo", WIDGET / "dist"),
    quiet: bool = False,
    headers: dict[str, str] | None = None,
) -> ThreadingHTTPServer:
    """A ready-to-run HTTP server for the demo page and the built widget.

    ``headers`` are added to every response (e.g. a Content-Security-Policy).
    """
    handler = partial(WidgetHandler, directories=directories, server_url=server_url, headers=dict(headers or {}))
    server = ThreadingHTTPServer((host, port), handler)
    server.quiet = quiet  # type: ignore[attr-defined]
    return server


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--server-url", help="Rasa server URL written into the demo page's data-server-url")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args()
    if not (WIDGET / "dist" / "widget.js").is_file():
        parser.exit(1, "widget/dist/widget.js is missing: run `make widget` first\n")
    server = make_server(args.host, args.port, args.server_url, quiet=args.quiet)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
