"""Dependency audit: pip-audit over requirements.lock, compared with the triage file.

``python -m scripts.audit`` (``make audit``) runs pip-audit from its own tool venv
(``build/audit-venv``: pip-audit's own dependencies conflict with Rasa 3.6's pins) and
compares every finding with ``docs/security-triage.yml``:

* a finding (package + vulnerability id, matched through its aliases too) that is not
  triaged FAILS the check (exit 1);
* a finding triaged as ``upgraded`` that is still reported FAILS (the upgrade did not
  happen);
* a package pip-audit could not audit FAILS the check (exit 2): with PyPI's
  vulnerability API unreachable pip-audit "skips" every package and reports no
  vulnerability, which must never pass as a clean audit;
* a triage entry that matches no finding any more is a WARNING (stale: remove it, or
  mark it ``upgraded``).

``--from-json FILE`` checks a saved ``pip-audit --format json`` report instead of
running pip-audit (no network).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCK = ROOT / "requirements.lock"
DEFAULT_TRIAGE = ROOT / "docs" / "security-triage.yml"
DEFAULT_PIP_AUDIT = ROOT / "build" / "audit-venv" / "bin" / "pip-audit"
DECISIONS = ("upgraded", "not-reachable", "accepted")
EXIT_OK, EXIT_UNTRIAGED, EXIT_NOT_AUDITED = 0, 1, 2
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


class AuditError(Exception):
    """The audit could not be done or its input is malformed (the message says why)."""


def canonical(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Finding:
    """One vulnerability pip-audit reports for one locked package."""

    package: str
    version: str
    id: str
    aliases: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()

    @property
    def ids(self) -> frozenset[str]:
        """The id and every alias."""
        return frozenset((self.id, *self.aliases))


@dataclass(frozen=True)
class TriageEntry:
    """One triaged vulnerability from the triage file."""

    package: str
    id: str
    decision: str
    reason: str
    aliases: tuple[str, ...] = ()
    version: str | None = None
    fixed_in: str | None = None

    @property
    def ids(self) -> frozenset[str]:
        """The id and every alias."""
        return frozenset((self.id, *self.aliases))

    def matches(self, finding: Finding) -> bool:
        """Same package and at least one id in common."""
        return canonical(self.package) == canonical(finding.package) and bool(self.ids & finding.ids)


@dataclass
class Report:
    """Everything the comparison found."""

    audited: int = 0
    triaged: list[tuple[Finding, TriageEntry]] = field(default_factory=list)
    untriaged: list[Finding] = field(default_factory=list)
    not_upgraded: list[tuple[Finding, TriageEntry]] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)
    stale: list[TriageEntry] = field(default_factory=list)
    version_changed: list[tuple[Finding, TriageEntry]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """2 when packages were not audited, 1 for untriaged findings, else 0."""
        if self.not_audited:
            return EXIT_NOT_AUDITED
        if self.untriaged or self.not_upgraded:
            return EXIT_UNTRIAGED
        return EXIT_OK


def locked_packages(lock_text: str) -> dict[str, str]:
    """``name -> version`` for every ``name==version`` line of a lock file."""
    packages = {}
    for line in lock_text.splitlines():
        match = PIN.match(line.strip())
        if match:
            packages[canonical(match.group(1))] = match.group(2)
    return packages


def parse_pip_audit(report: Any) -> tuple[list[Finding], dict[str, str], dict[str, str]]:
    """Findings, audited ``name -> version`` and skipped ``name -> reason`` of a JSON report."""
    if not isinstance(report, dict) or not isinstance(report.get("dependencies"), list):
        raise AuditError("pip-audit report: no 'dependencies' list (was it run with --format json?)")
    findings, audited, skipped = [], {}, {}
    for dependency in report["dependencies"]:
        name = canonical(str(dependency.get("name", "")))
        if "skip_reason" in dependency:
            skipped[name] = str(dependency["skip_reason"])
            continue
        version = str(dependency.get("version", ""))
        audited[name] = version
        for vulnerability in dependency.get("vulns") or []:
            findings.append(
                Finding(
                    package=name,
                    version=version,
                    id=str(vulnerability["id"]),
                    aliases=tuple(str(alias) for alias in vulnerability.get("aliases") or ()),
                    fix_versions=tuple(str(fix) for fix in vulnerability.get("fix_versions") or ()),
                )
            )
    return findings, audited, skipped


def load_triage(text: str, source: str = "triage file") -> list[TriageEntry]:
    """Entries of the triage file; a malformed entry raises :class:`AuditError` naming it."""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise AuditError(f"{source}: top-level 'findings' list missing")
    entries, seen = [], set()
    for number, item in enumerate(data["findings"], start=1):
        where = f"{source}: finding {number}"
        if not isinstance(item, dict):
            raise AuditError(f"{where}: not a mapping")
        for key in ("package", "id", "decision", "reason"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise AuditError(f"{where} ({item.get('id', '?')}): field '{key}' missing or empty")
        if item["decision"] not in DECISIONS:
            raise AuditError(
                f"{where} ({item['id']}): field 'decision': {item['decision']!r} is not one of {DECISIONS}"
            )
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise AuditError(f"{where} ({item['id']}): field 'aliases' must be a list")
        key = (canonical(item["package"]), item["id"])
        if key in seen:
            raise AuditError(f"{where}: {key[0]} {item['id']} is triaged twice")
        seen.add(key)
        entries.append(
            TriageEntry(
                package=canonical(item["package"]),
                id=item["id"],
                decision=item["decision"],
                reason=item["reason"].strip(),
                aliases=tuple(str(alias) for alias in aliases),
                version=str(item["version"]) if item.get("version") is not None else None,
                fixed_in=str(item["fixed_in"]) if item.get("fixed_in") is not None else None,
            )
        )
    return entries


def compare(
    findings: Iterable[Finding],
    triage: Iterable[TriageEntry],
    audited: dict[str, str],
    skipped: dict[str, str],
    locked: dict[str, str],
) -> Report:
    """Match findings with triage entries; see the module docstring for the rules."""
    triage = list(triage)
    report = Report(audited=len(audited))
    report.not_audited = sorted(
        [f"{name} {locked.get(name, '')}: {reason}".strip() for name, reason in skipped.items()]
        + [f"{name} {version}: missing from pip-audit's report" for name, version in locked.items()
           if name not in audited and name not in skipped]
    )
    used: set[int] = set()
    for finding in findings:
        matches = [index for index, entry in enumerate(triage) if entry.matches(finding)]
        if not matches:
            report.untriaged.append(finding)
            continue
        used.update(matches)
        entry = triage[matches[0]]
        if entry.decision == "upgraded":
            report.not_upgraded.append((finding, entry))
            continue
        report.triaged.append((finding, entry))
        if entry.version and entry.version != finding.version:
            report.version_changed.append((finding, entry))
    # Staleness means something only when every package was audited.
    if not report.not_audited:
        report.stale = [
            entry for index, entry in enumerate(triage) if index not in used and entry.decision != "upgraded"
        ]
    return report


def describe(finding: Finding) -> str:
    """``package version id (aliases) fixed in ...``."""
    aliases = f" ({', '.join(finding.aliases)})" if finding.aliases else ""
    fixed = f", fixed in {', '.join(finding.fix_versions)}" if finding.fix_versions else ", no fix released"
    return f"{finding.package} {finding.version} {finding.id}{aliases}{fixed}"


def render(report: Report, triage_path: str) -> list[str]:
    """Human-readable lines: failures first, then warnings, then a summary."""
    lines = []
    if report.not_audited:
        lines.append(
            f"FAIL: {len(report.not_audited)} locked package(s) were NOT audited, so the audit proves nothing "
            "(is https://pypi.org/pypi/<name>/<version>/json reachable?):"
        )
        lines += [f"  {item}" for item in report.not_audited[:20]]
        if len(report.not_audited) > 20:
            lines.append(f"  ... and {len(report.not_audited) - 20} more")
    for finding in report.untriaged:
        lines.append(f"FAIL: not triaged: {describe(finding)} -> add it to {triage_path} and docs/security.md")
    for finding, _entry in report.not_upgraded:
        lines.append(f"FAIL: triaged as upgraded but still reported: {describe(finding)}")
    for entry in report.stale:
        lines.append(
            f"WARNING: stale triage entry: {entry.package} {entry.id} is no longer reported "
            "(remove it, or mark it 'upgraded')"
        )
    for finding, entry in report.version_changed:
        lines.append(
            f"WARNING: {finding.package} {finding.id} was triaged for {entry.version}, the lock has "
            f"{finding.version}: re-check the reason"
        )
    lines.append(
        f"{report.audited} packages audited, {len(report.triaged)} finding(s) triaged, "
        f"{len(report.untriaged) + len(report.not_upgraded)} untriaged, {len(report.not_audited)} not audited, "
        f"{len(report.stale)} stale triage entries."
    )
    return lines


def run_pip_audit(pip_audit: Path, lock: Path, service: str, osv_url: str | None, timeout: int) -> Any:
    """Run pip-audit on ``lock`` and return its JSON report (AuditError when it cannot run)."""
    if not pip_audit.is_file():
        raise AuditError(
            f"{pip_audit} is missing: run `make audit` (creates build/audit-venv from requirements-audit.lock)"
        )
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "pip-audit.json"
        command = [
            str(pip_audit), "--requirement", str(lock), "--no-deps", "--disable-pip",
            "--format", "json", "--output", str(output), "--progress-spinner", "off",
            "--aliases", "on", "--desc", "off", "--vulnerability-service", service,
            "--timeout", str(timeout), "--cache-dir", str(Path(scratch) / "cache"),
        ]
        if osv_url:
            command += ["--osv-url", osv_url]
        result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
        # pip-audit exits 1 when it found vulnerabilities; anything without a report is an error.
        if not output.is_file() or result.returncode not in (0, 1):
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
            raise AuditError(f"pip-audit could not audit {lock.name} (exit {result.returncode}):\n{tail}")
        return json.loads(output.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Run the audit and print the result; the exit code says pass (0) or fail (1, 2)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=DEFAULT_LOCK, help="lock file to audit")
    parser.add_argument("--triage", type=Path, default=DEFAULT_TRIAGE, help="triage file")
    parser.add_argument("--pip-audit", type=Path, default=DEFAULT_PIP_AUDIT, help="pip-audit executable")
    parser.add_argument("--service", choices=("pypi", "osv"), default="pypi", help="vulnerability service")
    parser.add_argument("--osv-url", help="OSV API URL (with --service osv), e.g. an internal mirror")
    parser.add_argument("--timeout", type=int, default=30, help="network timeout in seconds")
    parser.add_argument("--from-json", type=Path, help="check this saved pip-audit JSON report instead")
    args = parser.parse_args(argv)
    try:
        locked = locked_packages(args.lock.read_text(encoding="utf-8"))
        triage = load_triage(args.triage.read_text(encoding="utf-8"), str(args.triage))
        if args.from_json:
            raw = json.loads(args.from_json.read_text(encoding="utf-8"))
        else:
            raw = run_pip_audit(args.pip_audit, args.lock, args.service, args.osv_url, args.timeout)
        findings, audited, skipped = parse_pip_audit(raw)
    except (AuditError, OSError, json.JSONDecodeError, yaml.YAMLError) as error:
        print(f"audit: {error}", file=sys.stderr)
        return EXIT_NOT_AUDITED
    report = compare(findings, triage, audited, skipped, locked)
    for line in render(report, str(args.triage.relative_to(ROOT) if args.triage.is_relative_to(ROOT) else args.triage)):
        print(line)
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
