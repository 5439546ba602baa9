"""What every part of the wrapper agrees on: exit statuses, the project
layout, targets, content-addressed file names and process groups."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Union

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_ERROR = 2

ENGINES = ("afl", "libfuzzer", "random")
# The kit's own harness: a valid target, never listed or fuzzed by `ci`
# unless named (its bugs are there on purpose).
SELFTEST = "selftest"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class PryError(Exception):
    """A usage or environment error: one line on stderr, exit status 2."""


@dataclass(frozen=True)
class Target:
    harness: str
    prop: Optional[str]  # None: every property of the harness

    def __str__(self) -> str:
        return self.harness + ("/" + self.prop if self.prop else "")

    @property
    def slot(self) -> str:
        """The folder name under pry-out/<h>/ for this target."""
        return self.prop or "all"


def plant_suffix(plant: Optional[str]) -> str:
    return "+" + plant if plant else ""


class Project:
    """The repository pry runs in: everything is found relative to root,
    so a test can point the wrapper at a temporary copy."""

    # How the reports name this kit's command: ./pry in its checkout.
    command = "./pry"

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "pry-out"

    # ---- harnesses and targets ----
    def shipped_harnesses(self) -> list[str]:
        d = self.root / "harnesses"
        if not d.is_dir():
            return []
        return sorted(p.name for p in d.iterdir() if p.is_dir() and NAME_RE.match(p.name)
                      and any(p.glob("*.c")))

    def expected_failures(self, harness: str) -> dict[str, str]:
        """property -> reason, from harnesses/<h>/expected-failures.tsv:
        properties that fail for a known bug in a library we do not own
        (make test asserts they still fail; ci does not fuzz them)."""
        d = self.harness_dir(harness)
        f = d / "expected-failures.tsv" if d is not None else None
        out: dict[str, str] = {}
        if f is None or not f.is_file():
            return out
        for line in f.read_text(errors="replace").splitlines():
            if line.strip() and not line.startswith("#"):
                cols = line.split("\t") + [""]
                out[cols[0]] = cols[1]
        return out

    def harness_dir(self, harness: str) -> Optional[Path]:
        if harness == SELFTEST:
            return self.root / "tests" / "harnesses" / SELFTEST
        d = self.root / "harnesses" / harness
        return d if d.is_dir() else None

    def parse_target(self, text: str) -> Target:
        parts = text.split("/")
        if len(parts) > 2 or not all(NAME_RE.match(p) for p in parts):
            raise PryError(f"'{text}' is not a target: write HARNESS or HARNESS/PROPERTY")
        if self.harness_dir(parts[0]) is None:
            known = " ".join(self.shipped_harnesses()) or "(none yet)"
            raise PryError(f"unknown harness '{parts[0]}'; known: {known}")
        return Target(parts[0], parts[1] if len(parts) == 2 else None)

    # ---- planted bugs: targets/<t>/plants.tsv ----
    def plants(self, harness: Optional[str] = None) -> list[tuple[str, str, str, str]]:
        """(target, bug, description, precedent) for every planted bug, or
        only those of the target the harness uses (the same name)."""
        rows = []
        for tsv in sorted(self.root.glob("targets/*/plants.tsv")):
            target = tsv.parent.name
            if harness is not None and target != harness:
                continue
            for line in tsv.read_text(errors="replace").splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t") + ["", ""]
                rows.append((target, cols[0], cols[1], cols[2]))
        return rows

    def check_plant(self, plant: Optional[str], harness: Optional[str] = None) -> None:
        """--plant BUG[,BUG...]|all, checked against the harness's own
        planted bugs (every target's when no harness is given)."""
        if plant is None:
            return
        known = [row[1] for row in self.plants(harness)]
        where = f"harness '{harness}'" if harness is not None else "this project"
        if not known:
            raise PryError(f"{where} has no planted bugs (no targets/{harness or '<t>'}/plants.tsv), "
                           f"so --plant {plant} has nothing to switch on")
        if plant == "all":
            return
        for name in plant.split(","):
            if name not in known:
                raise PryError(f"unknown planted bug '{name}' for {where}; it has: "
                               f"{' '.join(known)} (or all)")

    # ---- builds ----
    def binary(self, variant: str, plant: Optional[str], harness: str) -> Path:
        return self.root / "build" / (variant + plant_suffix(plant)) / harness

    # ---- where output goes ----
    def run_dir(self, target: Target, engine: str, plant: Optional[str]) -> Path:
        return self.out / target.harness / target.slot / (engine + plant_suffix(plant))

    def corpus_dir(self, target: Target) -> Path:
        """The one folder worth caching between CI runs: pry-out/corpus/."""
        return self.out / "corpus" / target.harness / target.slot

    def findings_dir(self, harness: str, prop: str) -> Path:
        return self.out / harness / prop / "findings"

    def regressions_dir(self, harness: str, prop: str) -> Path:
        return self.root / "corpora" / harness / prop / "regressions"

    def seed_dirs(self, target: Target) -> list[Path]:
        base = self.root / "corpora" / target.harness
        dirs = [base / target.prop / "seeds"] if target.prop else []
        dirs.append(base / "seeds")
        return [d for d in dirs if d.is_dir() and any(f.is_file() for f in d.iterdir())]

    def rel(self, path: Path) -> str:
        """A path as the user would type it from the project root."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


# ---- content-addressed names (never a ':' in anything pry keeps) ----
def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def store_by_hash(src: Path, dest_dir: Path, suffix: str) -> Path:
    """Copy |src| to dest_dir/<sha256><suffix>; the name makes it idempotent."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / (sha256_file(src) + suffix)
    if not dest.exists():
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
    return dest


def sync_into(files: Sequence[Path], dest_dir: Path) -> int:
    """Add files to a colon-free corpus folder by content hash; returns how
    many were new."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    before = len(list(dest_dir.iterdir()))
    for f in files:
        if f.is_file() and f.stat().st_size > 0:
            store_by_hash(f, dest_dir, "")
    return len(list(dest_dir.iterdir())) - before


# ---- processes ----
def _die_with_parent() -> None:
    """In the child before exec: the kernel sends SIGKILL when pry dies,
    even by SIGKILL, which no handler sees (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def adopt_orphans() -> None:
    """Make pry the subreaper of everything it starts (prctl
    PR_SET_CHILD_SUBREAPER): a process whose parent dies is reparented to
    pry, not to init. AFL++'s forkservers run in sessions of their own
    (afl-forkserver.c calls setsid), out of reach of killpg; when afl-fuzz
    dies without ending them (SIGKILL after the grace time, a crash), the
    forkserver exits, and its persistent-mode child, which stops itself
    (SIGSTOP) between inputs, would stay stopped for ever under init.
    ProcessGroup.stop() ends what pry adopted."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # 36 = PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _processes() -> list[tuple[int, str, int, int]]:
    """(pid, state, parent pid, process group) of every process, from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path("/proc", d, "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2:
            out.append((int(d), fields[0], int(fields[1]), int(fields[2])))
    return out


def _children() -> list[tuple[int, str]]:
    """(pid, state) of every child of this process."""
    me = os.getpid()
    return [(pid, state) for pid, state, ppid, _ in _processes() if ppid == me]


# The children pry starts itself, by pid, while they may run. `./pry ci`
# runs campaigns in threads: when one campaign's fuzzer stops, end_orphans
# must tell what pry adopted (kill it) from what another thread started and
# waits for (a build, a replay, a shrink: leave it). Both sides take
# _SPAWN_LOCK, so a child is registered before end_orphans can see it.
_SPAWN_LOCK = threading.Lock()
_STARTED: dict[int, subprocess.Popen] = {}


def start(argv: Union[str, Sequence[str]], **popen_args) -> subprocess.Popen:
    """subprocess.Popen, registered as pry's own child (end_orphans leaves
    it alone until it has been waited for). Every child pry starts goes
    through here or through run(), run_quiet() or ProcessGroup."""
    args = argv if isinstance(argv, str) else list(argv)  # a string: shell=True
    with _SPAWN_LOCK:
        for pid in [pid for pid, q in _STARTED.items() if q.returncode is not None]:
            del _STARTED[pid]  # waited for: no longer pry's to protect
        p = subprocess.Popen(args, **popen_args)
        _STARTED[p.pid] = p
    return p


def run(argv: Union[str, Sequence[str]], input=None, timeout: Optional[float] = None,
        **popen_args) -> subprocess.CompletedProcess:
    """subprocess.run(argv, input=..., timeout=..., capture_output=...,
    text=..., ...) for a child started through start()."""
    if popen_args.pop("capture_output", False):
        popen_args["stdout"] = popen_args["stderr"] = subprocess.PIPE
    if input is not None:
        popen_args["stdin"] = subprocess.PIPE
    with start(argv, **popen_args) as p:
        try:
            out, err = p.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise
        except BaseException:  # Ctrl-C while waiting: as subprocess.run does
            p.kill()
            raise
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def _own_child(pid: int) -> bool:
    """Started by pry (start()) and not yet waited for: a pid reused by an
    adopted process after pry reaped its own child is not pry's."""
    p = _STARTED.get(pid)
    if p is not None and p.returncode is not None:
        del _STARTED[pid]
        return False
    return p is not None


def end_orphans() -> None:
    """SIGKILL and reap the processes pry adopted (adopt_orphans): its
    children that it did not start itself (start()). A zombie is left
    alone (it may be a Popen's, whose status Popen reads)."""
    for _ in range(20):  # an orphan may be reparented a moment later
        with _SPAWN_LOCK:
            adopted = [pid for pid, state in _children()
                       if state != "Z" and not _own_child(pid)]
            for pid in adopted:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
        if not adopted:
            return
        time.sleep(0.05)


class ProcessGroup:
    """A child started in its own session, so that Ctrl-C on the terminal
    reaches only pry (which then decides), and stopping it kills everything
    it started (libFuzzer's fork workers; afl-fuzz's forkservers, which
    leave the group, through end_orphans)."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: Path,
                 stdout, stderr, stdin=subprocess.DEVNULL):
        self.proc = start(argv, env=env, cwd=str(cwd), stdin=stdin,
                          stdout=stdout, stderr=stderr, start_new_session=True,
                          preexec_fn=_die_with_parent)
        self.pgid = self.proc.pid

    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 3.0) -> None:
        """SIGINT first (afl-fuzz writes its final stats), then SIGKILL;
        then what the group left behind outside it (end_orphans)."""
        try:
            self._stop_group(grace)
        finally:
            end_orphans()

    def _stop_group(self, grace: float) -> None:
        for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.pgid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if self.proc.poll() is not None and not group_alive(self.pgid):
                    return
                time.sleep(0.05)
        self.proc.wait()


def group_alive(pgid: int) -> bool:
    """Whether a process of the group is still running. A zombie is not:
    the llvm-symbolizer a sanitizer starts to print a report outlives the
    fuzzer by a moment, is then reparented to pry (adopt_orphans) and stays
    a zombie of the group, which killpg(pgid, 0) still finds; stop() then
    waited out both of its grace times (8 s) after every sanitizer report."""
    return any(pgrp == pgid and state != "Z" for _, state, _, pgrp in _processes())


def run_quiet(argv: Sequence[str], cwd: Path, env: Optional[dict[str, str]] = None,
              timeout: float = 120.0) -> subprocess.CompletedProcess:
    """A short helper run (replay, shrink, --list) in its own session, with
    output captured. A timeout kills its whole group."""
    p = start(argv, cwd=str(cwd), env=env, stdin=subprocess.DEVNULL,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
              start_new_session=True, preexec_fn=_die_with_parent)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return subprocess.CompletedProcess(argv, 124, out, err)
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class StopFlag:
    """Set by SIGINT/SIGTERM; every loop that waits on a child polls it."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.count = 0

    def set(self) -> None:
        self.count += 1
        self.event.set()

    def is_set(self) -> bool:
        return self.event.is_set()

    def sleep(self, seconds: float) -> None:
        self.event.wait(seconds)
