"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl from Debian's `postgresql`.

PostgreSQL refuses to run as root, so when the tests run as root (CI does) the cluster belongs
to the `postgres` user the package creates and its commands run through `runuser`; otherwise
they run as the current user. It listens on a free loopback port with trust authentication and
is removed when stopped.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from api.launch import free_port

_START_S = 60


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when the package is missing."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


@dataclass
class Cluster:
    root: Path
    port: int
    bin: Path
    user: str | None  # whom the server runs as, when the tests run as root

    @property
    def admin_url(self) -> str:
        return f"postgresql://bluelight@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=_START_S)

    def start(self) -> None:
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", "bluelight", "--auth=trust", "-E", "UTF8")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "log"), "-o", options, "-w",
                  "-t", str(_START_S), "start")  # fmt: skip

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh, empty database on this cluster; its URL."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")  # a name made here, never from input
        return f"postgresql://bluelight@127.0.0.1:{self.port}/{name}"


def start_cluster(bindir: Path) -> Cluster:
    user = "postgres" if os.geteuid() == 0 else None
    # Not under pytest's temporary folder: as root that folder is closed to the postgres user.
    root = Path(tempfile.mkdtemp(prefix="bluelight-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    cluster = Cluster(root, free_port(), bindir, user)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster
