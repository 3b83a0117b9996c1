"""A PostgreSQL server a test starts, stops and restarts itself (tests of outages, roles
and TLS), apart from the shared server the rest of the suite uses.

``PrivateServer`` runs the machine's own PostgreSQL binaries (``initdb``, ``pg_ctl``)
on a free port of 127.0.0.1 with a data directory in the test's temporary folder. The
cluster's superuser is ``postgres`` with trust authentication over TCP, like the shared
server; ``tls=True`` also makes a certificate authority and a server certificate for
``localhost`` (``ca_file``), turns ``ssl`` on and lets only TLS connections in;
``passwords=True`` makes every login but the superuser give its password (SCRAM).

PostgreSQL refuses to run as root: when the tests run as root the server runs as the
``postgres`` system user (``runuser``), and its directory is given to that user.

``stop()`` is a fast shutdown (sessions are cut, as when a server is restarted);
``start()`` starts it again on the same port with the same data.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import pytest

SUPERUSER = "postgres"


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return versions[0].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PrivateServer:
    """One PostgreSQL cluster of the test's own (see the module docstring)."""

    def __init__(self, *, tls: bool = False, passwords: bool = False) -> None:
        """``passwords``: every login but ``postgres`` must give its password (SCRAM) over TCP.
        The cluster lives in a new folder of the system's temporary directory (pytest's
        own folders are closed to other users, and the server may run as ``postgres``)."""
        bin_dir = _bin_dir()
        if bin_dir is None:
            pytest.fail("PostgreSQL's server binaries (initdb, pg_ctl) are not installed", pytrace=False)
        self.bin_dir = bin_dir
        self.folder = folder = Path(tempfile.mkdtemp(prefix="fulfil-pg-"))
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = _free_port()
        self.tls = tls
        self.passwords = passwords
        self.ca_file = folder / "ca.crt"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            user = pwd.getpwnam(SUPERUSER)
            os.chown(folder, user.pw_uid, user.pw_gid)
            os.chmod(folder, 0o755)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "--no-sync", "-E", "UTF8")
        self._configure()

    # ------------------------------------------------------------------ URLs

    def url(self, database: str = "postgres", user: str = SUPERUSER, **query: str) -> str:
        extra = "&".join(f"{key}={value}" for key, value in query.items())
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}" + (f"?{extra}" if extra else "")

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.folder}", "start")

    def stop(self) -> None:
        """A fast shutdown: open sessions are cut, as when a server restarts at peak."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        result = subprocess.run(self._command("pg_ctl", "-D", str(self.data), "status"),
                                capture_output=True, text=True, check=False)
        return result.returncode == 0

    def wait_accepting(self, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                sock.settimeout(1)
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise TimeoutError(f"the private PostgreSQL on port {self.port} did not start")

    def close(self) -> None:
        """Stop the server (at once) and remove its folder."""
        try:
            if self.data.exists() and self.running():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PrivateServer:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    # ------------------------------------------------------------------ set-up

    def _configure(self) -> None:
        lines = ["listen_addresses = '127.0.0.1'", "fsync = off", "max_connections = 100"]
        hba = ["local all all trust", "host all all 127.0.0.1/32 trust"]
        if self.passwords:
            hba = ["local all all trust", f"host all {SUPERUSER} 127.0.0.1/32 trust",
                   "host all all 127.0.0.1/32 scram-sha-256"]
        if self.tls:
            self._make_certificates()
            lines += ["ssl = on", "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'"]
            hba = ["local all all trust", "hostssl all all 127.0.0.1/32 trust",
                   "hostnossl all all 127.0.0.1/32 reject"]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(lines) + "\n")
        (self.data / "pg_hba.conf").write_text("\n".join(hba) + "\n")

    def _make_certificates(self) -> None:
        """A CA of the test's own and a server certificate for localhost / 127.0.0.1 signed by it."""
        work = self.folder / "tls"
        work.mkdir()

        def openssl(*args: str) -> None:
            subprocess.run(["openssl", *args], cwd=work, check=True, capture_output=True)

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=FulfilStation test CA",
                "-keyout", "ca.key", "-out", "ca.crt")
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", "server.key", "-out", "server.csr")
        (work / "san.ext").write_text("subjectAltName = DNS:localhost, IP:127.0.0.1\n")
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.crt")
        shutil.copy(work / "ca.crt", self.ca_file)
        for name in ("server.crt", "server.key"):
            target = self.data / name
            shutil.copy(work / name, target)
            os.chmod(target, 0o600)
            if self._as_postgres:
                user = pwd.getpwnam(SUPERUSER)
                os.chown(target, user.pw_uid, user.pw_gid)

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin_dir / program), *args]
        return ["runuser", "-u", SUPERUSER, "--", *command] if self._as_postgres else command

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(self._command(program, *args), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({result.returncode}): {result.stderr.strip()}\n{log}")
