"""./pry doctor: every check the other commands rely on, each printed as
`ok` or `FIX: <the exact command>`. Exit 0 when all are ok, 2 otherwise."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Optional

from .common import EXIT_ERROR, EXIT_OK, Project, Target, run
from .engines.afl import CORE_FIX, asan_options_problem, core_pattern_problem

APT = "sudo apt-get install -y "
Check = tuple[str, Callable[[], Optional[str]]]


def tool(name: str, package: str) -> Callable[[], Optional[str]]:
    return lambda: None if shutil.which(name) else APT + package


def afl_version() -> Optional[str]:
    if shutil.which("afl-fuzz") is None:
        return APT + "afl++"
    return None


def libfuzzer_runtime() -> Optional[str]:
    """Compile and link a trivial -fsanitize=fuzzer program."""
    if shutil.which("clang") is None:
        return APT + "clang libclang-rt-14-dev"
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "t.c"
        src.write_text("#include <stddef.h>\n#include <stdint.h>\n"
                       "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)"
                       "{(void)d;(void)n;return 0;}\n")
        r = run(["clang", "-fsanitize=fuzzer,address", str(src), "-o",
                 str(Path(d) / "t")], capture_output=True)
        return None if r.returncode == 0 else APT + "libclang-rt-14-dev"


def header(path: str, package: str) -> Callable[[], Optional[str]]:
    return lambda: None if Path(path).is_file() else APT + package


def cpu_governor() -> Optional[str]:
    gov = Path("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
    try:
        value = gov.read_text().strip()
    except OSError:
        return None  # no cpufreq (VMs, containers): nothing to tune
    if value != "performance":
        return ("echo performance | sudo tee /sys/devices/system/cpu/cpu*/cpufreq/"
                "scaling_governor   (optional: steadier execs/s; pry sets AFL_SKIP_CPUFREQ)")
    return None


def writable(project: Project) -> Callable[[], Optional[str]]:
    def check() -> Optional[str]:
        try:
            project.out.mkdir(parents=True, exist_ok=True)
            probe = project.out / ".doctor"
            probe.write_text("ok")
            probe.unlink()
            return None
        except OSError:
            return f"sudo chown -R $(id -u) {project.out}"
    return check


def doctor(project: Project, target: Optional[Target] = None) -> int:
    checks: list[Check] = [
        ("make", tool("make", "make")),
        ("cc (gcc)", tool("cc", "gcc")),
        ("clang", tool("clang", "clang")),
        ("afl-fuzz", afl_version),
        ("afl-clang-fast", tool("afl-clang-fast", "afl++")),
        ("afl-cmin", tool("afl-cmin", "afl++")),
        ("libFuzzer runtime", libfuzzer_runtime),
        ("libcbor headers", header("/usr/include/cbor.h", "libcbor-dev")),
        ("libnghttp2 headers", header("/usr/include/nghttp2/nghttp2.h", "libnghttp2-dev")),
        ("core_pattern", lambda: CORE_FIX if core_pattern_problem() else None),
        ("cpu frequency governor", cpu_governor),
        ("ASAN_OPTIONS", lambda: "export ASAN_OPTIONS=abort_on_error=1:symbolize=0"
         if asan_options_problem() else None),
        ("python3", tool("python3", "python3")),
        ("gnuplot", tool("gnuplot", "gnuplot-nox")),
        ("pry-out writable", writable(project)),
        ("llvm-cov, llvm-profdata (./pry cov)", tool("llvm-cov", "llvm")),
    ]
    bad = 0
    for name, check in checks:
        fix = check()
        optional = fix is not None and "(optional" in fix
        if fix is None:
            print(f"ok    {name}")
        else:
            print(f"FIX:  {fix}   [{name}]")
            bad += 0 if optional else 1
    if target is not None:
        from .cov import LIBRARY_HINT, instrumentation_problems
        problems, notes = instrumentation_problems(project, target.harness)
        for p in problems:
            print(f"FIX:  {p}   [{target.harness}: code under test instrumented]")
        if not problems and not (project.root / "mk" / "common.mk").is_file():
            # A project of the user's (pry.toml): nothing says which of its
            # libraries are under test, so nothing was checked; say so
            # rather than "ok" (pry fuzz still warns on flat coverage).
            print(f"?     {target.harness}: code under test instrumented: not checked out of "
                  f"pry's checkout; a library under test linked with -l is fuzzed blind: build "
                  f"it with the Cflags of pkg-config pry-afl / pry-libfuzzer ({LIBRARY_HINT})")
        elif not problems:
            print(f"ok    {target.harness}: code under test instrumented")
        for n in notes:
            print(f"note: {n}")
        bad += len(problems)
    if os.environ.get("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"):
        print("note: AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES is set: crashes may be missed")
    return EXIT_OK if bad == 0 else EXIT_ERROR
