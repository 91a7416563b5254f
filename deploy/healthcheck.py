"""Container health check: ``python deploy/healthcheck.py URL``.

Exits 0 when ``URL`` answers with a status below 500 within the timeout (a redirect to
a log-in page counts as healthy), 1 otherwise. Standard library only, so the image
needs no curl.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 5.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is instead of following it."""

    def redirect_request(self, *args, **kwargs):  # noqa: D102 - urllib hook
        return None


def status_of(url: str, timeout: float = TIMEOUT_SECONDS) -> int | None:
    """The HTTP status ``url`` answers with, or None when nothing answers."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def healthy(url: str, timeout: float = TIMEOUT_SECONDS) -> bool:
    """True when ``url`` answers with a status below 500."""
    status = status_of(url, timeout)
    return status is not None and status < 500


def main(argv: list[str]) -> int:
    """Check the one URL given on the command line."""
    if len(argv) != 1:
        print("usage: python deploy/healthcheck.py URL", file=sys.stderr)
        return 2
    status = status_of(argv[0])
    if status is None or status >= 500:
        print(f"unhealthy: {argv[0]} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
