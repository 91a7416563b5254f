"""Throwaway PostgreSQL and Redis servers that fault tests may stop and restart.

The shared services (127.0.0.1:5432 and :6379) are used by other suites at the
same time, so the fault tests never touch them: they start their own servers on
free ports in a temporary folder, from the same installed binaries.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import psycopg2
import redis

from tests.e2e.servers import free_port
from tests.services import missing

POSTGRES_USER = "postgres"


def _postgres_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = shutil.which(name) or (candidates[0] if candidates else None)
    if not found:
        missing("PostgreSQL server binaries", f"'{name}' is neither on PATH nor in /usr/lib/postgresql/*/bin")
    return found


def _as_service_user(command: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(POSTGRES_USER)
    except KeyError:
        missing("PostgreSQL server binaries", "running as root and there is no 'postgres' user to run them as")
    return ["runuser", "-u", POSTGRES_USER, "--", *command]


def _private_directory(prefix: str) -> Path:
    """A new folder under /tmp (pytest's tmp_path is closed to the ``postgres`` user)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))


@dataclass
class ThrowawayPostgres:
    """A PostgreSQL cluster in ``directory`` on ``port`` (trust authentication, no fsync)."""

    directory: Path = field(default_factory=lambda: _private_directory("pg-fault-"))
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{POSTGRES_USER}@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        command = [_postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "server.log"),
                   "-o", options, "-w", "-t", "30", *args]
        result = subprocess.run(_as_service_user(command), capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            log = (self.directory / "server.log")
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {result.stdout}{result.stderr}\n"
                               f"{log.read_text()[-2000:] if log.exists() else ''}")

    def start(self) -> "ThrowawayPostgres":
        if not self.data.exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.directory, POSTGRES_USER)
            command = [_postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", POSTGRES_USER,
                       "-E", "UTF8", "--no-sync"]
            subprocess.run(_as_service_user(command), check=True, capture_output=True, timeout=120)
        self._pg_ctl("start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        """Restart, ending every open connection (``pg_ctl restart -m fast``)."""
        self._pg_ctl("restart", "-m", "fast")

    def running(self) -> bool:
        try:
            psycopg2.connect(self.url(), connect_timeout=2).close()
            return True
        except psycopg2.Error:
            return False

    def create_database(self, name: str) -> str:
        connection = psycopg2.connect(self.url(), connect_timeout=5)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.url(name)

    def destroy(self) -> None:
        if self.data.exists() and not self.running():
            shutil.rmtree(self.directory, ignore_errors=True)
            return
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class ThrowawayRedis:
    """A Redis server on ``port`` without persistence, run in the foreground by this process."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "ThrowawayRedis":
        binary = shutil.which("redis-server")
        if not binary:
            missing("Redis server binary", "'redis-server' is not on PATH")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--daemonize", "no", "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while not self.running():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start: "
                                   f"{(self.directory / 'redis.log').read_text()[-2000:]}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def running(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False
