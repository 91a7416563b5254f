"""Server processes: start and stop them, and read their resident memory from /proc."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence


def free_port() -> int:
    """A TCP port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(venv_bin: Path, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The environment ``make`` gives Rasa (quiet TensorFlow, no telemetry), plus ``extra``."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", RASA_TELEMETRY_ENABLED="false",
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return env


def _status_kib(pid: int, field_name: str) -> int:
    """A ``kB`` field (``VmRSS``, ``VmHWM``) of ``/proc/<pid>/status``; 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0
    return 0


def process_tree(pid: int) -> List[int]:
    """``pid`` and all its descendants (from the parent ids in ``/proc/*/stat``)."""
    children: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # The command name (field 2) may contain spaces; the parent id follows ")".
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def _cpu_ticks(pid: int) -> int:
    """User plus system CPU time of ``pid`` in clock ticks (``/proc/<pid>/stat``); 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    # After the command name: state is field 3, utime field 14, stime field 15.
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by ``pid`` and its descendants, in seconds."""
    return sum(_cpu_ticks(member) for member in process_tree(pid)) / os.sysconf("SC_CLK_TCK")


def resident_bytes(pid: int) -> int:
    """Resident memory (VmRSS) of ``pid`` and its descendants, in bytes."""
    return sum(_status_kib(member, "VmRSS") for member in process_tree(pid)) * 1024


def peak_resident_bytes(pid: int) -> int:
    """The kernel's high-water mark of resident memory (VmHWM) of ``pid`` alone, in bytes."""
    return _status_kib(pid, "VmHWM") * 1024


@dataclass
class Server:
    """A server process started by the benchmark, its log and its peak resident memory."""

    name: str
    process: subprocess.Popen
    log: Path
    started: float
    peak_rss: int = 0

    def sample_memory(self) -> None:
        """Update the peak with the current resident memory of the process tree."""
        self.peak_rss = max(self.peak_rss, resident_bytes(self.process.pid))

    def final_peak(self) -> int:
        """The peak: the largest sample, or the kernel's high-water mark if that is higher."""
        self.sample_memory()
        return max(self.peak_rss, peak_resident_bytes(self.process.pid))

    def check_alive(self) -> None:
        """Raise with the log's tail if the process has exited."""
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} exited with status {self.process.returncode}; log {self.log}:\n{tail}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 30 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path) -> Server:
    """Launch ``command`` with its output in ``log``; the launch time is recorded."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=output, stderr=subprocess.STDOUT)
    return Server(name, process, log, started)


@dataclass
class MemorySampler:
    """Samples the servers' resident memory in a background thread (every ``interval`` s)."""

    servers: Sequence[Server]
    interval: float = 0.25
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: Optional[threading.Thread] = None

    def __enter__(self) -> "MemorySampler":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for server in self.servers:
                server.sample_memory()
