import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy import healthcheck
from tests.deploy.checks import DEPLOY
from tests.e2e.servers import free_port


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = int(self.path.strip("/") or 200)
        self.send_response(status)
        if status in (301, 302):
            self.send_header("Location", "/500")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    "status, healthy", [(200, True), (302, True), (401, True), (404, True), (500, False), (503, False)]
)
def test_status_below_500_is_healthy(server, status, healthy):
    assert healthcheck.healthy(f"{server}/{status}") is healthy


def test_redirects_are_not_followed(server):
    # /302 redirects to /500: the redirect itself is the answer (a log-in redirect is healthy).
    assert healthcheck.status_of(f"{server}/302") == 302


def test_nothing_listening_is_unhealthy():
    assert healthcheck.status_of(f"http://127.0.0.1:{free_port()}/", timeout=2) is None
    assert healthcheck.healthy(f"http://127.0.0.1:{free_port()}/", timeout=2) is False


def test_command_line_exit_codes(server):
    script = str(DEPLOY / "healthcheck.py")
    assert subprocess.run([sys.executable, script, f"{server}/200"]).returncode == 0
    failing = subprocess.run([sys.executable, script, f"{server}/503"], capture_output=True, text=True)
    assert failing.returncode == 1 and "answered 503" in failing.stderr
    assert subprocess.run([sys.executable, script], capture_output=True).returncode == 2
