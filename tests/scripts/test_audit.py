"""scripts/audit.py: the comparison of pip-audit's findings with the triage file.

Sample pip-audit JSON reports (the format of ``pip-audit --format json``), no network.
"""

import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scripts import audit
from scripts.audit import AuditError, Finding, compare, load_triage, locked_packages, parse_pip_audit
from tests.conftest import ROOT

LOCK = "aiohttp==3.9.5\nsanic==21.12.2\nSanic-Cors==2.0.1\n# a comment\n"
TRIAGE = textwrap.dedent(
    """\
    findings:
      - package: aiohttp
        version: 3.9.5
        id: GHSA-8495-4g3g-x7pr
        aliases: [CVE-2024-52304]
        fixed_in: 3.10.11
        decision: not-reachable
        reason: server parser only; we run no aiohttp server
      - package: sanic
        id: CVE-2099-0001
        decision: accepted
        reason: an old finding that is no longer reported
      - package: sanic-cors
        id: GHSA-aaaa-bbbb-cccc
        decision: upgraded
        reason: upgraded long ago
    """
)


def report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


def dependency(name, version, *vulns):
    return {"name": name, "version": version, "vulns": list(vulns)}


def vuln(id, aliases=(), fix_versions=()):
    return {"id": id, "fix_versions": list(fix_versions), "aliases": list(aliases), "description": "..."}


CLEAN_DEPENDENCIES = (
    dependency("aiohttp", "3.9.5", vuln("GHSA-8495-4g3g-x7pr", ["CVE-2024-52304"], ["3.10.11"])),
    dependency("sanic", "21.12.2"),
    dependency("sanic-cors", "2.0.1"),
)


def check(raw, triage=TRIAGE, lock=LOCK):
    findings, audited, skipped = parse_pip_audit(raw)
    return compare(findings, load_triage(triage), audited, skipped, locked_packages(lock))


def test_triaged_findings_pass_with_a_stale_warning():
    result = check(report(*CLEAN_DEPENDENCIES))
    assert result.exit_code == 0
    assert [(finding.id, entry.decision) for finding, entry in result.triaged] == [
        ("GHSA-8495-4g3g-x7pr", "not-reachable")
    ]
    # sanic's entry matches nothing any more: a warning, not a failure; "upgraded" entries are history.
    assert [entry.id for entry in result.stale] == ["CVE-2099-0001"]
    lines = audit.render(result, "docs/security-triage.yml")
    assert any(line.startswith("WARNING: stale triage entry: sanic CVE-2099-0001") for line in lines)
    assert not any(line.startswith("FAIL") for line in lines)


def test_an_untriaged_finding_fails():
    new = vuln("GHSA-zzzz-yyyy-xxxx", ["CVE-2030-1234"], ["22.0.0"])
    result = check(report(CLEAN_DEPENDENCIES[0], dependency("sanic", "21.12.2", new), CLEAN_DEPENDENCIES[2]))
    assert result.exit_code == audit.EXIT_UNTRIAGED
    assert [(finding.package, finding.id) for finding in result.untriaged] == [("sanic", "GHSA-zzzz-yyyy-xxxx")]
    lines = audit.render(result, "docs/security-triage.yml")
    assert "FAIL: not triaged: sanic 21.12.2 GHSA-zzzz-yyyy-xxxx (CVE-2030-1234), fixed in 22.0.0" in lines[0]


def test_a_finding_is_matched_through_its_aliases():
    # PyPI reported a PYSEC id this time; the triage entry knows it by its CVE alias.
    result = check(
        report(
            dependency("aiohttp", "3.9.5", vuln("PYSEC-2024-999", ["CVE-2024-52304"])),
            *CLEAN_DEPENDENCIES[1:],
        )
    )
    assert result.exit_code == 0 and len(result.triaged) == 1


def test_the_same_id_for_another_package_is_not_triaged():
    result = check(
        report(
            CLEAN_DEPENDENCIES[0], dependency("sanic", "21.12.2", vuln("GHSA-8495-4g3g-x7pr")), CLEAN_DEPENDENCIES[2]
        )
    )
    assert result.exit_code == audit.EXIT_UNTRIAGED


def test_a_finding_triaged_as_upgraded_that_comes_back_fails():
    result = check(
        report(*CLEAN_DEPENDENCIES[:2], dependency("Sanic-Cors", "2.0.1", vuln("GHSA-aaaa-bbbb-cccc")))
    )
    assert result.exit_code == audit.EXIT_UNTRIAGED
    assert "FAIL: triaged as upgraded but still reported" in audit.render(result, "t.yml")[0]


def test_skipped_packages_fail_as_not_audited():
    # What pip-audit reports when PyPI's per-version JSON API is unreachable (404):
    # every package skipped, no vulnerability, exit code 0. That must not pass.
    reason = "Dependency not found on PyPI and could not be audited: aiohttp (3.9.5)"
    skipped = {"name": "aiohttp", "skip_reason": reason}
    result = check(report(skipped, *CLEAN_DEPENDENCIES[1:]))
    assert result.exit_code == audit.EXIT_NOT_AUDITED
    assert result.not_audited == [
        "aiohttp 3.9.5: Dependency not found on PyPI and could not be audited: aiohttp (3.9.5)"
    ]
    assert result.stale == []  # not judged on a partial audit


def test_a_locked_package_missing_from_the_report_fails():
    result = check(report(*CLEAN_DEPENDENCIES[:2]))
    assert result.exit_code == audit.EXIT_NOT_AUDITED
    assert result.not_audited == ["sanic-cors 2.0.1: missing from pip-audit's report"]


def test_a_changed_version_asks_to_recheck_the_reason():
    result = check(
        report(dependency("aiohttp", "3.9.4", vuln("GHSA-8495-4g3g-x7pr", ["CVE-2024-52304"])), *CLEAN_DEPENDENCIES[1:])
    )
    assert result.exit_code == 0
    assert any("triaged for 3.9.5, the lock has 3.9.4" in line for line in audit.render(result, "t.yml"))


@pytest.mark.parametrize(
    "text, message",
    [
        ("nothing: here\n", "top-level 'findings' list missing"),
        ("findings:\n  - package: x\n    id: A\n    decision: accepted\n", "field 'reason' missing or empty"),
        ("findings:\n  - package: x\n    id: A\n    decision: ignored\n    reason: r\n", "'ignored' is not one of"),
        (
            "findings:\n  - {package: x, id: A, decision: accepted, reason: r}\n"
            "  - {package: X, id: A, decision: accepted, reason: r}\n",
            "x A is triaged twice",
        ),
    ],
)
def test_malformed_triage_files_are_refused(text, message):
    with pytest.raises(AuditError, match=message):
        load_triage(text)


def test_a_report_without_dependencies_is_refused():
    with pytest.raises(AuditError, match="no 'dependencies' list"):
        parse_pip_audit({"vulns": []})


def test_lock_parsing_canonicalises_names():
    assert locked_packages("ruamel.yaml==0.17.21\nSanic_Cors==2.0.1\n-r other.txt\n") == {
        "ruamel-yaml": "0.17.21",
        "sanic-cors": "2.0.1",
    }


def test_finding_ids_include_aliases():
    assert Finding("a", "1", "GHSA-1", ("CVE-1",)).ids == {"GHSA-1", "CVE-1"}


# --- the command line ---------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    (tmp_path / "requirements.lock").write_text(LOCK)
    (tmp_path / "triage.yml").write_text(TRIAGE)
    return tmp_path


def run_cli(files, *args):
    return subprocess.run(
        [sys.executable, "-m", "scripts.audit", "--lock", str(files / "requirements.lock"),
         "--triage", str(files / "triage.yml"), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def test_cli_passes_a_fully_triaged_report(files):
    (files / "report.json").write_text(json.dumps(report(*CLEAN_DEPENDENCIES)))
    result = run_cli(files, "--from-json", str(files / "report.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 packages audited, 1 finding(s) triaged, 0 untriaged, 0 not audited, 1 stale" in result.stdout


def test_cli_fails_on_an_untriaged_finding(files):
    new = dependency("sanic", "21.12.2", vuln("GHSA-zzzz-yyyy-xxxx"))
    (files / "report.json").write_text(json.dumps(report(CLEAN_DEPENDENCIES[0], new, CLEAN_DEPENDENCIES[2])))
    result = run_cli(files, "--from-json", str(files / "report.json"))
    assert result.returncode == 1
    assert "FAIL: not triaged: sanic 21.12.2 GHSA-zzzz-yyyy-xxxx" in result.stdout


def test_cli_without_the_tool_venv_says_how_to_create_it(files):
    result = run_cli(files, "--pip-audit", str(files / "no-such-pip-audit"))
    assert result.returncode == 2
    assert "run `make audit`" in result.stderr


def test_cli_reports_a_pip_audit_that_crashes(files):
    # A pip-audit that cannot reach its vulnerability service dies with a traceback.
    fake = files / "pip-audit"
    fake.write_text("#!/bin/sh\necho 'requests.exceptions.ConnectionError: api.osv.dev' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    result = run_cli(files, "--pip-audit", str(fake))
    assert result.returncode == 2
    assert "pip-audit could not audit requirements.lock (exit 1)" in result.stderr
    assert "ConnectionError" in result.stderr


# --- the project's own triage file ----------------------------------------------------------


def test_the_project_triage_file_is_valid_and_documented():
    entries = load_triage((ROOT / "docs" / "security-triage.yml").read_text(encoding="utf-8"))
    assert entries
    document = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    locked = locked_packages((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    for entry in entries:
        assert entry.id in document, f"{entry.package} {entry.id} is not explained in docs/security.md"
        assert entry.package in locked, f"{entry.package} is triaged but not in requirements.lock"


# --- the real pip-audit (tool venv) against a local OSV-compatible service -----------------

PIP_AUDIT = ROOT / "build" / "audit-venv" / "bin" / "pip-audit"
SANIC_ADVISORY = {
    "id": "GHSA-test-0000-0001",
    "aliases": ["CVE-2099-4242"],
    "summary": "a made-up advisory for this test",
    "affected": [
        {
            "package": {"name": "sanic", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "22.6.1"}]}],
        }
    ],
}


@pytest.fixture
def osv_service():
    """An OSV /v1/query endpoint on 127.0.0.1 with one advisory for sanic; status 500 on demand."""
    state = {"status": 200, "queries": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["queries"].append(query)
            body = {"vulns": [SANIC_ADVISORY]} if query["package"]["name"] == "sanic" else {}
            data = json.dumps(body).encode()
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query", state
    server.shutdown()
    server.server_close()


@pytest.fixture
def real_pip_audit():
    if not os.access(PIP_AUDIT, os.X_OK):
        pytest.fail(f"{PIP_AUDIT} is missing: `make audit-venv` creates it from requirements-audit.lock", pytrace=False)
    return PIP_AUDIT


def test_real_pip_audit_finding_untriaged_then_triaged(files, osv_service, real_pip_audit):
    url, state = osv_service
    args = ("--pip-audit", str(real_pip_audit), "--service", "osv", "--osv-url", url)
    result = run_cli(files, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    failure = next(line for line in result.stdout.splitlines() if line.startswith("FAIL: not triaged: sanic 21.12.2"))
    # pip-audit chooses which id comes first; the other one is an alias.
    assert "GHSA-test-0000-0001" in failure and "CVE-2099-4242" in failure and "fixed in 22.6.1" in failure
    assert sorted(query["package"]["name"] for query in state["queries"]) == ["aiohttp", "sanic", "sanic-cors"]

    with (files / "triage.yml").open("a") as triage:
        triage.write("  - {package: sanic, id: CVE-2099-4242, decision: accepted, reason: test}\n")
    result = run_cli(files, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 packages audited, 1 finding(s) triaged, 0 untriaged" in result.stdout


def test_real_pip_audit_with_a_failing_service_does_not_pass(files, osv_service, real_pip_audit):
    url, state = osv_service
    state["status"] = 500
    result = run_cli(files, "--pip-audit", str(real_pip_audit), "--service", "osv", "--osv-url", url)
    assert result.returncode == 2
    assert "pip-audit could not audit requirements.lock" in result.stderr
