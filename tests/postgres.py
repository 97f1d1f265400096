"""A throwaway PostgreSQL 15 cluster for the test suite, run as the `postgres` user."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("NGHEDAN_PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresUnavailable(RuntimeError):
    """The cluster could not start; the message says why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    """initdb + pg_ctl in a temporary directory on a free port; `stop()` removes it all."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="nghedan-pg-"))
        self.as_postgres = os.geteuid() == 0

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.dir / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed ({done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}\n{tail}"
            )

    def start(self) -> ThrowawayCluster:
        if not (PG_BIN / "initdb").exists():
            raise PostgresUnavailable(
                f"PostgreSQL server binaries not found in {PG_BIN}: install Debian's "
                "postgresql-15 (apt-get install -y postgresql-15) or set NGHEDAN_PG_BIN"
            )
        if self.as_postgres:
            try:
                pwd.getpwnam("postgres")
            except KeyError as e:
                raise PostgresUnavailable("running as root but there is no `postgres` user") from e
            shutil.chown(self.dir, user="postgres")
        data = self.dir / "data"
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start_server()
        return self

    def start_server(self) -> None:
        """Start the server of an initialised cluster (again, after `stop_server`)."""
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300"
        )
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop_server(self) -> None:
        """Stop the server, keeping its data (`-m fast`: open sessions are cut, as in an outage)."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        data = self.dir / "data"
        if data.exists():
            try:
                self._run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
            except PostgresUnavailable:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
