"""Building blocks of the production-topology tests: own PostgreSQL and Redis, the app in separate processes.

Each piece is usable on its own, so a fault drill can take exactly what it needs:

* ``PgCluster``     — a PostgreSQL 15 cluster in a temporary folder (``restart``/``stop``/``start``).
* ``RedisServer``   — a Redis without persistence (``restart_without_persistence``/``stop``/``start``).
* ``Process``       — one OS process with its own working directory and log file, stopped by its pid.
* ``Deployment``    — the app on production settings against a ``PgCluster`` and a ``RedisServer``:
  gunicorn, a Celery worker and Celery beat, each in its own folder with its own ``MEDIA_ROOT``, so that
  anything handed over through a local disk fails as it would between hosts.
* ``SiteClient``    — ``requests`` against gunicorn as a browser behind the HTTPS proxy would talk to it.

Nothing here imports Django: the processes under test have their own settings, and the outer pytest
process only starts, watches and stops them.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
MANAGE_PY = REPO_ROOT / "manage.py"
BIN = Path(sys.executable).parent  # python, gunicorn and celery of the virtualenv running the tests
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRODUCTION_SETTINGS = "sikkerby.settings.production"


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy (returned); ``TimeoutError`` naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


def poll(predicate: Callable[[], object], *, timeout: float, interval: float = 0.2):
    """``predicate()``'s first truthy value within ``timeout`` seconds, else None (for a failure message)."""
    try:
        return wait_for(predicate, timeout=timeout, interval=interval)
    except TimeoutError:
        return None


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log file)"
    return "\n".join(text.splitlines()[-lines:])


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux /proc); empty when it is gone."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return found


def descendants_of(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in children_of(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def kill_pid(pid: int, sig: int = signal.SIGKILL) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


class LogBook:
    """The log files of everything a test started, printed (their tails) when the test fails."""

    def __init__(self):
        self.logs: dict[str, Path] = {}

    def add(self, name: str, path: Path) -> None:
        self.logs[name] = Path(path)

    def tails(self, lines: int = 60) -> str:
        return "\n".join(f"\n===== {name}: {path} (last {lines} lines) =====\n{tail(path, lines)}"
                         for name, path in self.logs.items())


# --- processes ----------------------------------------------------------------
class Process:
    """One OS process with its own working directory and log file; stopped and killed by its pid.

    The pids of its descendants (gunicorn's workers, Celery's pool children) are remembered whenever they
    are looked at and before every signal, so that an orphan left by a ``kill -9`` of the parent is still
    ended in ``cleanup``.
    """

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], cwd: Path, log: Path):
        self.name, self.argv, self.env, self.cwd, self.log = name, argv, env, Path(cwd), Path(log)
        self.popen: subprocess.Popen | None = None
        self.started_at: float | None = None
        self._seen: set[int] = set()

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def start(self) -> Process:
        assert not self.alive, f"{self.name} is already running"
        self.cwd.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            log.write(f"\n--- start {time.strftime('%H:%M:%S')}: {' '.join(self.argv)}\n".encode())
            log.flush()
            # Its own session: a Ctrl-C meant for pytest does not reach it; teardown ends it by pid.
            self.popen = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=log,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True)
        self.started_at = time.monotonic()
        return self

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def children(self) -> list[int]:
        """Living descendants (e.g. the Celery pool child), remembered for cleanup."""
        if not self.alive:
            return []
        found = descendants_of(self.pid)
        self._seen.update(found)
        return found

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def wait_for_log(self, pattern: str, *, timeout: float, since: int = 0) -> float:
        """Seconds since start until ``pattern`` (regex) appears in the log after offset ``since``."""
        rx = re.compile(pattern)

        def seen():
            if not self.alive:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}:\n{tail(self.log, 40)}")
            return rx.search(self.log_text(), since)

        wait_for(seen, timeout=timeout, what=f"{self.name}: {pattern!r} in its log")
        return time.monotonic() - self.started_at

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def signal(self, sig: int) -> None:
        self.children()
        if self.alive:
            self.popen.send_signal(sig)

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM (warm shutdown for Celery, graceful for gunicorn), SIGKILL after ``timeout``."""
        if self.popen is None:
            return None
        self.children()
        if self.alive:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        return self.popen.returncode

    def kill(self) -> int | None:
        """``kill -9`` of the process itself (not its children: they become orphans, as on a real host)."""
        if self.popen is None:
            return None
        self.children()
        self.popen.kill()
        self.popen.wait(10)
        return self.popen.returncode

    def cleanup(self) -> None:
        """Stop it and then kill every descendant ever seen that is still alive (by pid)."""
        self.stop(timeout=10)
        for pid in sorted(self._seen):
            if pid_alive(pid):
                kill_pid(pid)


# --- PostgreSQL ---------------------------------------------------------------
class PgCluster:
    """A PostgreSQL 15 cluster of its own: temp folder, free port, socket in the folder, trust auth.

    As root, every server command runs as the ``postgres`` OS user, who owns the folder.
    """

    def __init__(self, base: Path | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="sikkerby-pg-", dir=base))
        self.data = self.dir / "data"
        self.log = self.dir / "postgresql.log"
        self.port = free_port()
        self.timings: dict[str, float] = {}
        if _running_as_root():
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(PG_BIN / argv[0]), *argv[1:]]
        if _running_as_root():
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir, timeout=120)
        if check and result.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}\n"
                               f"{tail(self.log, 30)}")
        return result

    def init(self) -> PgCluster:
        t = time.monotonic()
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale", "C.UTF-8", "--no-sync")
        self.timings["initdb"] = time.monotonic() - t
        return self

    def _options(self) -> str:
        # fsync off: the drills stop and kill the server, not the machine, so nothing is lost by it.
        return f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-o", self._options(), "-l", str(self.log), "-w", "-t", "60",
                  "start")

    def stop(self, mode: str = "fast") -> None:
        """``mode``: smart, fast or immediate (immediate is a crash: recovery on the next start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-o", self._options(), "-l", str(self.log), "-m", mode,
                  "-w", "-t", "60", "restart")

    @property
    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with psql (as the postgres role, over TCP); returns its unaligned output."""
        return self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                         "-v", "ON_ERROR_STOP=1", "-qAtc", statement).stdout

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template`` if given); returns its URL."""
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), name
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def destroy(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Redis --------------------------------------------------------------------
class RedisServer:
    """``redis-server`` without persistence on a free port, as a subprocess of the test."""

    def __init__(self, base: Path | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="sikkerby-redis-", dir=base))
        self.port = free_port()
        self.log = self.dir / "redis.log"
        self.process = Process("redis", ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no", "--daemonize", "no",
                                         "--dir", str(self.dir)],
                               env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, cwd=self.dir, log=self.log)

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process.start()
        wait_for(self.ping, timeout=20, interval=0.05, what="redis answers PING")

    def stop(self) -> None:
        """``shutdown nosave``: whatever was queued is lost."""
        if self.process.alive:
            subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True,
                           timeout=20)
            try:
                self.process.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def restart_without_persistence(self) -> None:
        """The broker drill: Redis goes down without saving and comes back empty on the same port."""
        self.stop()
        self.start()

    def destroy(self) -> None:
        self.stop()
        self.process.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the app ------------------------------------------------------------------
APP_ROLE = "sikkerby_app"  # the role web, worker and beat connect as (as in docker-compose.yml)

def throwaway_secrets() -> dict[str, str]:
    """The secrets production settings require, freshly generated for one deployment.

    The one place to add a new required setting for every process.
    """
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CPR_HASH_KEY": secrets.token_urlsafe(32),
    }


SESSION_SECRETS = throwaway_secrets()


def base_environment() -> dict[str, str]:
    """A clean process environment: none of the outer pytest's DJANGO_*/DATABASE_URL/CELERY_* leak in."""
    keep = ("HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "USER", "LOGNAME")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["PATH"] = f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    return env


def production_environment(*, database_url: str, broker_url: str, result_url: str, static_root: Path,
                           secrets_env: dict[str, str], host: str = "127.0.0.1", **extra: str) -> dict[str, str]:
    """The environment every process of a deployment shares (each adds its own MEDIA_ROOT)."""
    return {
        **base_environment(),
        "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS,
        # The processes run in folders of their own: the code is found through PYTHONPATH, not the cwd.
        "PYTHONPATH": str(REPO_ROOT),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": result_url,
        "STATIC_ROOT": str(static_root),
        "DJANGO_ALLOWED_HOSTS": host,
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # TLS ends at the proxy, which is not part of the test
        "LOG_LEVEL": "INFO",
        **secrets_env,
        **extra,
    }


def run_manage(*args: str, env: dict[str, str], cwd: Path, log: Path, timeout: float = 600,
               input_text: str | None = None) -> float:
    """``python manage.py ARGS`` in ``cwd``; output appended to ``log``; returns seconds; raises on failure."""
    cwd.mkdir(parents=True, exist_ok=True)
    t = time.monotonic()
    with open(log, "ab") as fh:
        fh.write(f"\n--- manage.py {' '.join(args)}\n".encode())
        fh.flush()
        result = subprocess.run([str(BIN / "python"), str(MANAGE_PY), *args], cwd=cwd, env=env, stdout=fh,
                                stderr=subprocess.STDOUT, timeout=timeout,
                                input=input_text.encode() if input_text is not None else None)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{tail(log, 40)}")
    return time.monotonic() - t


def collect_static(static_root: Path, *, cwd: Path, log: Path) -> float:
    """``collectstatic`` with production settings (manifest, compression) into ``static_root``; seconds."""
    env = production_environment(database_url="sqlite:///:memory:", broker_url="", result_url="",
                                 static_root=static_root, secrets_env=throwaway_secrets(),
                                 MEDIA_ROOT=str(cwd / "media"))
    return run_manage("collectstatic", "--noinput", env=env, cwd=cwd, log=log)


CREATE_USER = """
import os
from accounts import roles
from accounts.models import User
from accounts.services import roles_ensure
from django.contrib.auth.models import Group
from initiatives.models import Administration, Municipality
roles_ensure()
m = Municipality.objects.get(code=os.environ["NEW_USER_MUNICIPALITY"])
code = os.environ.get("NEW_USER_ADMINISTRATION")
u = User.objects.create_user(os.environ["NEW_USER_NAME"], password=os.environ["NEW_USER_PASSWORD"],
                             municipality=m, is_staff=os.environ["NEW_USER_ROLE"] == roles.COORDINATOR,
                             administration=Administration.objects.get(municipality=m, code=code) if code else None)
u.groups.set([Group.objects.get(name=os.environ["NEW_USER_ROLE"])])
print("created", u.username, os.environ["NEW_USER_ROLE"])
"""


class Deployment:
    """Sikker By on production settings in separate processes against ``pg`` and ``redis``.

    ``root`` holds one folder per process (``web``, ``worker``, ``beat``, ``manage``), each its working
    directory, with its own ``media`` folder and its log file.
    """

    def __init__(self, *, pg: PgCluster, redis: RedisServer, static_root: Path, root: Path, logbook: LogBook,
                 database: str = "sikkerby", gunicorn_workers: int = 2):
        self.pg, self.redis, self.static_root, self.root = pg, redis, Path(static_root), Path(root)
        self.logbook, self.database, self.gunicorn_workers = logbook, database, gunicorn_workers
        self.port = free_port()
        self.host = "127.0.0.1"
        # one set of keys for the whole test session: every database is a copy of the template, whose
        # encryption canary was written under these keys (a deployment with others would refuse to start)
        self.secrets = SESSION_SECRETS
        self.timings: dict[str, float] = {}
        self.processes: dict[str, Process] = {}
        # settings every process of this deployment gets on top of the shared ones (e.g. short job timings
        # for a drill); set before the processes start
        self.extra_env: dict[str, str] = {}
        self.root.mkdir(parents=True, exist_ok=True)
        self.logbook.add("manage.py", self.folder("manage") / "manage.log")

    # --- places and environment
    def folder(self, name: str) -> Path:
        path = self.root / name
        (path / "media").mkdir(parents=True, exist_ok=True)
        return path

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def public_origin(self) -> str:
        """What the browser sees behind the TLS proxy."""
        return f"https://{self.host}:{self.port}"

    def env(self, name: str, **extra: str) -> dict[str, str]:
        """The environment of process ``name``: shared settings plus its own MEDIA_ROOT.

        ``manage`` (migrations, loading data) connects as the owner of the tables; web, worker and beat as
        the application's role, which owns nothing (docs/database-roles.md).
        """
        user = "postgres" if name == "manage" else APP_ROLE
        return production_environment(
            database_url=self.pg.url(self.database, user), broker_url=self.redis.url(0), result_url=self.redis.url(1),
            static_root=self.static_root, secrets_env=self.secrets, host=self.host,
            DJANGO_CSRF_TRUSTED_ORIGINS=self.public_origin, MEDIA_ROOT=str(self.folder(name) / "media"),
            CACHE_URL=self.redis.url(2), **{**self.extra_env, **extra})

    # --- database
    def manage(self, *args: str, timeout: float = 600, **extra_env: str) -> float:
        return run_manage(*args, env=self.env("manage", **extra_env), cwd=self.folder("manage"),
                          log=self.folder("manage") / "manage.log", timeout=timeout)

    def prepare_database(self, *, template: str | None = None) -> None:
        """Create the database: a copy of ``template`` (already prepared), or migrated and loaded here."""
        self.pg.create_database(self.database, template=template)
        if template is None:
            self.load_database()

    def load_database(self) -> None:
        self.timings["migrate"] = self.manage("migrate", "--noinput")
        self.manage("load_programme", "copenhagen", "albertslund")
        self.manage("load_areas")
        # as docker-compose's migrate step: the app role's privileges (copied with the database as a template)
        if not self.pg.sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}'").strip():
            self.pg.sql(f"CREATE ROLE {APP_ROLE} LOGIN")
        self.manage("grant_app_role", APP_ROLE)

    def create_user(self, username: str, password: str, *, role: str, municipality: str = "0101",
                    administration: str | None = None) -> None:
        """A real (not demo) user with a role; the password goes through the environment, not argv."""
        extra = {"NEW_USER_NAME": username, "NEW_USER_PASSWORD": password, "NEW_USER_ROLE": role,
                 "NEW_USER_MUNICIPALITY": municipality}
        if administration:
            extra["NEW_USER_ADMINISTRATION"] = administration
        self.manage("shell", "-c", CREATE_USER, **extra)

    # --- processes
    def _process(self, name: str, argv: list[str]) -> Process:
        proc = self.processes.get(name)
        if proc is None:
            folder = self.folder(name)
            proc = Process(name, argv, env=self.env(name), cwd=folder, log=folder / f"{name}.log")
            self.processes[name] = proc
            self.logbook.add(name, proc.log)
        return proc

    @property
    def web(self) -> Process:
        return self._process("web", [str(BIN / "gunicorn"), "sikkerby.wsgi", "--bind", f"{self.host}:{self.port}",
                                     "--workers", str(self.gunicorn_workers), "--worker-class", "sync",
                                     "--access-logfile", "-", "--error-logfile", "-", "--no-control-socket"])

    @property
    def worker(self) -> Process:
        return self._process("worker", [str(BIN / "celery"), "-A", "sikkerby", "worker", "--pool", "prefork",
                                        "--concurrency", "1", "--loglevel", "INFO", "--hostname", "worker@%h",
                                        # both queues: the default one and the reports' (CELERY_TASK_ROUTES)
                                        "-Q", "celery,reports"])

    @property
    def beat(self) -> Process:
        return self._process("beat", [str(BIN / "celery"), "-A", "sikkerby", "beat", "--loglevel", "INFO",
                                      "--schedule", str(self.folder("beat") / "celerybeat-schedule")])

    def start_web(self, timeout: float = 60) -> float:
        """Start gunicorn; seconds until /login/ first answers 200."""
        self.web.start()
        client = SiteClient(self)

        def ready():
            if not self.web.alive:
                raise RuntimeError(f"gunicorn exited with {self.web.popen.returncode}:\n{tail(self.web.log, 40)}")
            try:
                return client.get("/login/", timeout=30).status_code == 200
            except (requests.ConnectionError, requests.Timeout):  # not listening yet / still importing Django
                return False

        wait_for(ready, timeout=timeout, interval=0.1, what="gunicorn answers 200 on /login/")
        self.timings["web_first_200"] = time.monotonic() - self.web.started_at
        return self.timings["web_first_200"]

    def start_worker(self, timeout: float = 90) -> float:
        """Start the Celery worker; seconds until it logs that it is ready (connected, consuming)."""
        offset = self.worker.log_size()
        self.worker.start()
        self.timings["worker_ready"] = self.worker.wait_for_log(r"celery@\S+ ready\.|worker@\S+ ready\.",
                                                                timeout=timeout, since=offset)
        return self.timings["worker_ready"]

    def worker_pool_pids(self) -> list[int]:
        """The prefork pool's child processes (one with --concurrency 1)."""
        return self.worker.children()

    def kill_worker_pool_child(self) -> int:
        """``kill -9`` of the pool child; the main process notices and forks a new one."""
        pids = self.worker_pool_pids()
        assert pids, "the worker has no pool child"
        kill_pid(pids[0])
        return pids[0]

    def kill_worker(self) -> None:
        """``kill -9`` of the worker's main process (its pool child is orphaned, then ended in cleanup)."""
        self.worker.kill()

    def kill_whole_worker(self) -> list[int]:
        """``kill -9`` of the worker's main process and its pool children at once (the host went away)."""
        children = self.worker_pool_pids()
        for pid in children:
            kill_pid(pid)
        self.worker.kill()
        return children

    def worker_failures(self, since: int = 0) -> list[str]:
        """Lines of the worker's log (after byte offset ``since``) where a task raised."""
        text = self.worker.log_text()[since:]
        return [line for line in text.splitlines() if re.search(r"\] raised unexpected:|Task \S+ raised", line)]

    def stop_worker(self, timeout: float = 30) -> None:
        self.worker.stop(timeout)

    def start_beat(self, timeout: float = 60) -> float:
        offset = self.beat.log_size()
        self.beat.start()
        self.timings["beat_ready"] = self.beat.wait_for_log(r"beat: Starting", timeout=timeout, since=offset)
        return self.timings["beat_ready"]

    def stop_beat(self, timeout: float = 20) -> None:
        self.beat.stop(timeout)

    def start_all(self) -> None:
        self.start_worker()
        self.start_beat()
        self.start_web()

    def client(self) -> SiteClient:
        return SiteClient(self)

    def cleanup(self) -> None:
        for proc in reversed(list(self.processes.values())):
            proc.cleanup()


# --- HTTP ---------------------------------------------------------------------
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SiteClient:
    """A browser's session against gunicorn, as if behind the HTTPS proxy.

    Every request says ``X-Forwarded-Proto: https`` (production trusts that header), and POSTs carry an
    ``Origin``/``Referer`` of the public https origin plus the CSRF token. Production cookies are
    ``Secure``, which ``requests`` would not send over plain http: the flag is cleared after each answer.
    Redirects are followed here, one hop at a time, so the cookies of every hop are fixed before the next.
    """

    def __init__(self, deployment: Deployment):
        self.base_url, self.origin = deployment.base_url, deployment.public_origin
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"
        self.session.headers["Accept-Language"] = "da"

    def _unsecure_cookies(self) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            parts = urlsplit(path)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def request(self, method: str, path: str, *, follow: bool = True, timeout: float = 60, **kwargs
                ) -> requests.Response:
        """One request (redirects followed unless ``follow`` is false); ``.history`` holds the hops."""
        history: list[requests.Response] = []
        headers = dict(kwargs.pop("headers", None) or {})
        if method.upper() not in ("GET", "HEAD", "OPTIONS"):
            headers.setdefault("Origin", self.origin)
            headers.setdefault("Referer", self.origin + "/" + urlsplit(self.url(path)).path.lstrip("/"))
            token = self.session.cookies.get("csrftoken")
            if token:
                headers.setdefault("X-CSRFToken", token)
        response = self.session.request(method, self.url(path), headers=headers, allow_redirects=False,
                                        timeout=timeout, **kwargs)
        self._unsecure_cookies()
        while follow and response.is_redirect and len(history) < 10:
            history.append(response)
            response = self.session.get(self.url(response.headers["Location"]), allow_redirects=False,
                                        timeout=timeout)
            self._unsecure_cookies()
        response.history = history
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        data = dict(data or {})
        if "csrfmiddlewaretoken" not in data and self.session.cookies.get("csrftoken"):
            data["csrfmiddlewaretoken"] = self.session.cookies.get("csrftoken")
        return self.request("POST", path, data=data, **kwargs)

    def login(self, username: str, password: str) -> requests.Response:
        """Through the real login form: GET it (CSRF cookie and token), POST it, land on the home page."""
        form = self.get("/login/")
        assert form.status_code == 200, f"GET /login/ answered {form.status_code}"
        match = CSRF_INPUT.search(form.text)
        assert match, "the login form has no CSRF token"
        response = self.post("/login/", {"username": username, "password": password, "next": "",
                                         "csrfmiddlewaretoken": match.group(1)})
        assert response.history and response.history[0].status_code == 302, (
            f"login did not redirect: {response.status_code}\n{response.text[:2000]}")
        assert "sessionid" in self.session.cookies, "no session cookie after login"
        return response
