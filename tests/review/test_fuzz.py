"""No route answers 500, whatever is in its path, query string or form (a deterministic fuzz).

``hypothesis`` is not in the lock, so the hostile values are a fixed list. The
parameters are read from the source: every ``request.args/form/values.get(...)`` in
the blueprints and every filter name ``Filters.parse`` reads, so a new parameter is
fuzzed without touching this file. Each route gets every value in every parameter
at once, then each parameter alone with a shorter list, logged in as an admin (who
reaches every page); path arguments get hostile segments.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from review.export import INCOMPLETE
from tests.conftest import ROOT
from tests.review.helpers import ADMIN_PASSWORD, csrf_token, login

SOURCES = [*sorted((ROOT / "review" / "blueprints").glob("*.py")), ROOT / "review" / "queries.py"]
PARAMETER = re.compile(
    r"""(?:request\.(?:args|form|values)\.get(?:list)?|\bone|\bday|\bidentifier)\(\s*["'](\w+)["']""")
VALUES = [
    "", " ", "0", "-1", "1", "2147483647", "2147483648", "9" * 30, "-" + "9" * 30, "1e309", "NaN", "inf", "0x10",
    "0001-01-01", "9999-12-31", "0000-00-00", "2024-02-30", "9999-99-99", "31/12/9999", "29/02/2023", "1/1/1",
    "x" * 5000, "9" * 5000, "\x00", "a\x00b", "\x1b[2J", "\r\n", "\t", "\u202e", "\ufffd", "😀" * 50,
    "<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\", "../../etc/passwd", "/\t/evil.example",
    "javascript:alert(1)", "=cmd|' /C calc'!A0", "[]", "{}", "null", "true", "csv", "jsonl", "admin", "reviewer",
    "crisis", "1h", "0h", "99999d", "90d", "new", "called", "closed", "none",
]
SHORT = ["", "9" * 30, "0001-01-01", "x" * 5000, "\u202e", "' OR 1=1 --"]
RAW = [b"%FF%FE", b"%C0%AF", b"%ED%A0%80", b"a=%00&b=%FF", b"%%%", b"&&&=&="]
PATH_SEGMENTS = ["0", "-1", "2147483648", "9" * 30, "abc", "%00", "..", "%2F", "1.5", "%F0%9F%98%80", "1e3"]
SKIPPED = {("POST", "/logout")}  # ends the fuzzing session; tested on its own in test_security


def parameters() -> List[str]:
    """Every request parameter name the app reads."""
    found = {name for path in SOURCES for name in PARAMETER.findall(path.read_text(encoding="utf-8"))}
    return sorted(found | {"flag", "csrf_token"})


def routes(app) -> List[Tuple[str, str, List[str]]]:
    """(method, URL with 1 for ids and the first choice elsewhere, the URL's argument names)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {}
        for argument in rule.arguments:
            converter = rule._converters[argument]
            values[argument] = sorted(converter.items)[0] if hasattr(converter, "items") else 1
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = rule.build(values)[1]
            if (method, url) not in SKIPPED:
                found.append((method, url, sorted(rule.arguments)))
    return found


def send(client, method: str, url: str, data: Dict[str, str], token: str):
    if method == "GET":
        return client.get(url, query_string=data)
    return client.post(url, data={**data, "csrf_token": data.get("csrf_token", token)})


def check(response, label: str, failures: List[str]) -> None:
    body = response.get_data()  # streams the whole body (exports)
    if response.status_code >= 500 or INCOMPLETE.encode() in body:
        failures.append(f"{label}: {response.status_code}")


def test_the_fuzz_covers_every_parameter_and_route(app) -> None:
    names = parameters()
    assert {"from", "to", "page", "q", "next", "format", "older_than", "username", "tag", "tags", "note", "order",
            "event_id", "topic", "status"} <= set(names)
    assert len(routes(app)) >= 15


@pytest.mark.filterwarnings("ignore")
def test_no_route_answers_500(client, app, accounts) -> None:
    assert login(client, "adam", ADMIN_PASSWORD).status_code == 302
    client.get("/conversations")
    token = csrf_token(client, "/conversations")
    names = parameters()
    failures: List[str] = []
    for method, url, arguments in routes(app):
        for value in VALUES:
            check(send(client, method, url, dict.fromkeys(names, value), token), f"{method} {url} all={value!r:.40}",
                  failures)
        for name in names:
            for value in SHORT:
                check(send(client, method, url, {name: value}, token), f"{method} {url} {name}={value!r:.40}",
                      failures)
        for raw in RAW:
            if method == "GET":
                response = client.get(f"{url}?{raw.decode('ascii')}")
            else:
                response = client.post(url, data=raw + b"&csrf_token=" + token.encode(),
                                       content_type="application/x-www-form-urlencoded")
            check(response, f"{method} {url} raw={raw!r}", failures)
        for argument in arguments:
            template = url
            for segment in PATH_SEGMENTS:
                hostile = re.sub(r"/1(?=/|$)", "/" + segment, template, count=1) if argument.endswith("_id") else \
                    template.rsplit("/", 1)[0] + "/" + segment
                check(send(client, method, hostile, {}, token), f"{method} {hostile}", failures)
        assert client.get("/conversations").status_code == 200, f"the session ended during {method} {url}"
    assert not failures, "\n".join(failures[:40])


def test_the_reported_500s(client, accounts) -> None:
    login(client, "adam", ADMIN_PASSWORD)
    assert client.get("/conversations/" + "1" * 30).status_code == 404
    assert client.get("/conversations", query_string={"from": "0001-01-01", "to": "9999-12-31"}).status_code == 400
    assert client.get("/dashboard", query_string={"to": "0001-01-01"}).status_code == 400
    assert client.get("/dashboard", query_string={"from": "0001-01-01", "to": "9999-12-31"}).status_code == 400


def test_the_source_scan_finds_parameters(tmp_path: Path) -> None:
    sample = 'x = request.args.get("alpha")\ny = request.form.getlist("beta")\nday("from", "From")\n'
    assert set(PARAMETER.findall(sample)) == {"alpha", "beta", "from"}
