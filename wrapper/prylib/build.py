"""Building what a command needs, through the kit's own make rules
(mk/build.mk), so `./pry` and `make` always agree on flags. Make only
rebuilds what changed, so asking for a build is cheap."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sys
from pathlib import Path
from typing import Iterator, Optional, TextIO

from .common import SELFTEST, Project, PryError, run_quiet

# The afl builds need afl-clang-fast; say which package brings what.
VARIANT_TOOL = {"afl": ("afl-clang-fast", "afl++"), "afl-cmplog": ("afl-clang-fast", "afl++"),
                "libfuzzer": ("clang", "clang libclang-rt-14-dev"), "asan": ("clang", "clang"),
                "libfuzzer-typed": ("clang", "clang libclang-rt-14-dev"), "mutator": ("clang", "clang")}


_announce: Optional[TextIO] = None


def announce_to(stream: Optional[TextIO]) -> None:
    """Say on |stream| when a build has work to do (a first build takes a
    while, and a silent pause looks like a hang)."""
    global _announce
    _announce = stream


@contextlib.contextmanager
def build_lock(project: Project) -> Iterator[None]:
    """One build at a time in a checkout (flock on build/.lock): two ./pry
    commands started together, or make test's suites side by side, would
    otherwise compile the same objects of a variant at once and link
    half-written ones. A build that has nothing to do holds it a moment."""
    lock = project.root / "build" / ".lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


BUILD_TIMEOUT = 1800  # seconds; a from-source library build is the long one


def build(project: Project, variant: str, harness: str, plant: Optional[str] = None) -> Path:
    """Build one variant of one harness quietly; on failure show make's
    errors and stop with exit status 2. Returns the binary."""
    external = getattr(project, "external_build", None)
    if external is not None:  # a user's project: pry.toml says how (external.py)
        return external(variant, harness, plant)
    tool = VARIANT_TOOL.get(variant)
    if tool is not None and not _which(tool[0]):
        raise PryError(f"{tool[0]} is missing: sudo apt-get install -y {tool[1]}")
    argv = ["make", "-s", "--no-print-directory", "-f", "mk/build.mk", f"VARIANT={variant}",
            f"HARNESS={harness}"]
    if plant:
        argv.append(f"PLANT={plant}")
    binary = project.binary(variant, plant, harness)
    if extlib_mode() == "system":
        argv.append("EXTLIB=system")
        binary = binary.parent.with_name(binary.parent.name + "+system-libs") / harness
    jobs = min(os.cpu_count() or 1, 4)
    with build_lock(project):
        if _announce is not None and run_quiet(argv + ["-q", str(binary.relative_to(project.root))],
                                               project.root, timeout=60).returncode != 0:
            _announce.write(f"pry: building {harness} ({variant}"
                            f"{', planted bugs ' + plant if plant else ''}) ...\n")
            _announce.flush()
        r = run_quiet(argv + [f"-j{jobs}"], project.root, timeout=BUILD_TIMEOUT)
    if r.returncode != 0:
        out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
        sys.stderr.write(out)
        if r.returncode < 0:  # not an error of the code: make itself was stopped
            raise PryError(f"building {variant} of {harness}: make was ended by "
                           f"{signal.Signals(-r.returncode).name} before it finished")
        if r.returncode == 124 and not out.strip():  # run_quiet's timeout
            raise PryError(f"building {variant} of {harness}: make took more than "
                           f"{BUILD_TIMEOUT} s and was stopped")
        raise PryError(f"building {variant} of {harness} failed " +
                       ("(make's output is above)" if out.strip() else
                        f"(make exited {r.returncode} and printed nothing)"))
    if not binary.exists():
        # make said it is up to date or made it, yet it is not there: some
        # other process removed or is relinking it (one that does not take
        # build/.lock); say so rather than point at an empty make output.
        raise PryError(f"building {variant} of {harness}: make exited 0 but "
                       f"{project.rel(binary)} is missing (removed by another process?)")
    return binary


def extlib_mode() -> str:
    """EXTLIB=system in the environment: every build of this command links
    the system's binary packages instead of building <h>_EXTLIBS from
    source (mk/extlib.mk), into build/<variant>+system-libs/, for a
    comparison (bench/extlib_cov.sh). Make would read the variable from
    the environment anyway; the wrapper must then run that build, not
    the from-source one beside it."""
    mode = os.environ.get("EXTLIB") or "source"
    if mode not in ("source", "system"):
        raise PryError(f"unknown EXTLIB '{mode}' in the environment: source (build "
                       f"libraries from source, the default) or system")
    return mode


def properties(project: Project, harness: str, plant: Optional[str] = None) -> list[str]:
    """The properties of a harness, asked of its plain binary (--list)."""
    binary = build(project, "plain", harness, plant)
    r = run_quiet([str(binary), "--list"], project.root, timeout=60)
    if r.returncode != 0:
        last = (r.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise PryError(f"{project.rel(binary)} --list failed: {last}")
    names = []
    for line in r.stdout.decode(errors="replace").splitlines():
        if "/" in line:
            names.append(line.strip().split("/", 1)[1])
    return names


def check_property(project: Project, harness: str, prop: Optional[str],
                   plant: Optional[str] = None) -> list[str]:
    """Validate harness/property; returns every property of the harness."""
    names = properties(project, harness, plant)
    if prop is not None and prop not in names:
        raise PryError(f"no property '{prop}' in harness {harness}; it has: {' '.join(names)}")
    return names


def listed_harnesses(project: Project, with_selftest: bool = False) -> list[str]:
    hs = project.shipped_harnesses()
    return hs + [SELFTEST] if with_selftest else hs


def _which(tool: str) -> bool:
    from shutil import which
    return which(tool) is not None
