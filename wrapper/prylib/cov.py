"""./pry cov TARGET: which lines and branches of the code under test the
campaign's corpus reaches, measured with clang's source-based coverage
(https://clang.llvm.org/docs/SourceBasedCodeCoverage.html), not with the
engines' edge counters.

The harness is built as the `cov` variant (mk/build.mk: the plain runner
under -fprofile-instr-generate -fcoverage-mapping, libpry without mapping).
Every input the campaigns kept (pry-out/corpus/, the AFL++ queues, the
libFuzzer corpora, the committed seeds and regressions) is replayed by the
runner's --replay, one profile per property; llvm-profdata merges them and
llvm-cov reports per file, leaving out the kit's and the harness's own
files. The HTML report goes to pry-out/<h>/cov/<target>/html/.

Also here: the signs that the code under test is not instrumented at all
(a system library linked with -l, or an edge count that never grows), which
`fuzz`, `ci` and `doctor` report."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import build
from .common import Project, PryError, Target, run, run_quiet, sha256_file

# Files that are not the code under test: the kit (and its installed
# header), the harnesses, system headers (inline functions carry mapping).
IGNORE = r"(^|/)(generators|harnesses|tests/harnesses|bench/harnesses)/|(^|/)pry\.h$|^/usr/"
# Out of pry's checkout a project's property files sit anywhere: a file
# that includes pry.h is the harness's (generators, properties), never the
# code under test, which has no reason to include it.
INCLUDES_PRY_H = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*[<"]pry\.h[>"]', re.M)
# Libraries that are never the code under test.
SYSTEM_LIBS = {"c", "m", "pthread", "dl", "rt", "util", "stdc++", "gcc", "gcc_s", "crypt"}
# An edge count this small after this many executions means the fuzzer
# sees next to nothing of the code under test.
TINY_EDGES = 16
TINY_AFTER_EXECS = 10000
LIBRARY_HINT = ("see README: Fuzz your own library")


@dataclass
class FileCov:
    name: str
    lines: tuple[int, int]     # covered, count
    branches: tuple[int, int]


@dataclass
class CovResult:
    target: Target
    inputs: int
    files: list[FileCov] = field(default_factory=list)
    total: Optional[FileCov] = None
    html: Optional[Path] = None

    def line(self) -> str:
        """One line for ci's summary.md."""
        t = self.total
        if t is None or not self.files:
            return f"{self.target}: no instrumented code under test ({self.inputs} inputs)"
        return (f"{self.target}: lines {pct(t.lines)} ({t.lines[0]}/{t.lines[1]}), "
                f"branches {pct(t.branches)} ({t.branches[0]}/{t.branches[1]}) "
                f"of {len(self.files)} files, {self.inputs} inputs")


def pct(pair: tuple[int, int]) -> str:
    covered, count = pair
    return f"{100.0 * covered / count:.1f}%" if count else "-"


def llvm_tool(name: str) -> str:
    """clang-14's llvm-profdata / llvm-cov (the profile format must match
    the compiler's); the unversioned names come with the package llvm."""
    for cand in (f"{name}-14", name):
        path = shutil.which(cand)
        if path:
            return path
    raise PryError(f"{name} is missing: sudo apt-get install -y llvm")


# ---- the inputs ----
def input_sources(project: Project, harness: str, slot: str) -> list[Path]:
    """Every folder holding inputs for one slot (a property, or "all":
    the harness fuzzed as a whole, the first byte choosing)."""
    out = [project.out / "corpus" / harness / slot]
    runs = project.out / harness / slot
    out += sorted(runs.glob("*/afl/*/queue"))    # AFL++ instances
    out += sorted(runs.glob("*/corpus-work"))    # libFuzzer
    seeds = project.root / "corpora" / harness
    out.append(seeds / "seeds")
    if slot != "all":
        out += [seeds / slot / "seeds", seeds / slot / "regressions"]
    return [d for d in out if d.is_dir()]


def gather(project: Project, harness: str, slot: str, dest: Path) -> tuple[int, int]:
    """Copy the slot's inputs into |dest| by content (the queues and the
    kept corpus overlap). Returns (inputs, of which from campaigns)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    campaign = 0
    for d in input_sources(project, harness, slot):
        from_campaign = project.out in d.parents
        for f in sorted(d.iterdir()):
            if f.is_file() and f.stat().st_size > 0 and not f.name.endswith(".dict"):
                kept = dest / (sha256_file(f) + (".cbor" if f.suffix == ".cbor" else ""))
                if not kept.exists():
                    shutil.copyfile(f, kept)
                    campaign += int(from_campaign)
    return len(list(dest.iterdir())), campaign


# ---- replay, merge, report ----
def replay(binary: Path, inputs: Path, prop: Optional[str], profile: str,
           cwd: Path) -> subprocess.CompletedProcess:
    """The cov build's --replay of every input in |inputs| (one property,
    or the harness as a whole), its profile written to |profile| (an
    LLVM_PROFILE_FILE pattern)."""
    argv = [str(binary), "--replay", str(inputs), "--quiet"]
    if prop:
        argv += ["--test", prop]
    env = dict(os.environ, LLVM_PROFILE_FILE=profile)
    env.pop("PRY_TEST", None)
    return run_quiet(argv, cwd, env=env, timeout=3600)


def merge_export(binary: Path, raws: list[Path], profdata: Path, cwd: Path) -> dict:
    """llvm-profdata merge of |raws| into |profdata|, then llvm-cov's
    summary of the code under test (ignore_regex left out): its "data"[0]."""
    _run([llvm_tool("llvm-profdata"), "merge", "-sparse", *map(str, raws), "-o",
          str(profdata)], cwd)
    return _export(binary, profdata, cwd, ignore_regex(binary, profdata, cwd))


def _export(binary: Path, profdata: Path, cwd: Path, ignore: str) -> dict:
    return json.loads(_run([llvm_tool("llvm-cov"), "export", "-summary-only", str(binary),
                            f"-instr-profile={profdata}", f"-ignore-filename-regex={ignore}"],
                           cwd))["data"][0]


def ignore_regex(binary: Path, profdata: Path, cwd: Path) -> str:
    """IGNORE, and each remaining file of the binary that includes pry.h
    (a property file out of pry's checkout)."""
    own = []
    for f in _export(binary, profdata, cwd, IGNORE)["files"]:
        path = Path(cwd, f["filename"])
        try:
            if INCLUDES_PRY_H.search(path.read_bytes()):
                # Escaped for llvm-cov's POSIX-style regex (re.escape's
                # "\-" and "\ " are not portable there).
                own.append("^" + re.sub(r"([][.*+?(){}|^$\\])", r"\\\1", f["filename"]) + "$")
        except OSError:
            continue  # gone since the build: counted as it was
    return "|".join([IGNORE, *own])


def coverage(project: Project, target: Target, quiet: bool = False) -> CovResult:
    props = build.check_property(project, target.harness, target.prop)
    slots = [target.prop] if target.prop else ["all"] + props
    out = project.out / target.harness / "cov" / target.slot
    for tool in ("llvm-profdata", "llvm-cov"):
        llvm_tool(tool)  # missing: say so before building anything
    binary = build.build(project, "cov", target.harness)
    raw_dir = out / "profraw"
    if raw_dir.exists():
        shutil.rmtree(raw_dir)
    raw_dir.mkdir(parents=True)
    total_inputs = from_campaigns = 0
    for slot in slots:
        inputs = out / "inputs" / slot
        n, c = gather(project, target.harness, slot, inputs)
        total_inputs += n
        from_campaigns += c
        if n == 0:
            continue
        # %m: the runner and its child merge into one file (online merging).
        r = replay(binary, inputs, None if slot == "all" else slot,
                   str(raw_dir / f"{slot}-%m.profraw"), project.root)
        if r.returncode != 0:
            raise PryError(f"replaying {project.rel(inputs)} failed: "
                           + (r.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1])
        if not quiet:
            print(f"pry cov: {target.harness}/{slot}: "
                  + r.stdout.decode(errors="replace").strip())
    if total_inputs == 0:
        raise PryError(f"no corpus for {target}: run ./pry fuzz {target} first "
                       f"(or commit seeds under corpora/{target.harness}/)")
    if from_campaigns == 0 and not quiet:
        print(f"pry cov: note: no campaign corpus for {target} yet; "
              f"this is the committed seeds and regressions only")
    profdata = out / "cov.profdata"
    data = merge_export(binary, sorted(raw_dir.glob("*.profraw")), profdata, project.root)
    ignore = ignore_regex(binary, profdata, project.root)
    common = [str(binary), f"-instr-profile={profdata}", f"-ignore-filename-regex={ignore}"]
    result = CovResult(target, total_inputs)
    for f in data["files"]:
        if f["summary"]["lines"]["count"] == 0:
            continue  # a header with no code of its own
        result.files.append(_file_cov(project.rel(Path(project.root, f["filename"])),
                                      f["summary"]))
    result.total = _file_cov("TOTAL", data["totals"])
    html = out / "html"
    if html.exists():
        shutil.rmtree(html)
    _run([llvm_tool("llvm-cov"), "show", "-format=html", f"-output-dir={html}",
          "-show-branches=count", "-show-line-counts-or-regions", *common], project.root)
    result.html = html / "index.html"
    (out / "summary.json").write_text(json.dumps(data["totals"], indent=2) + "\n")
    return result


def _file_cov(name: str, summary: dict) -> FileCov:
    lines, branches = summary["lines"], summary["branches"]
    return FileCov(name, (lines["covered"], lines["count"]),
                   (branches["covered"], branches["count"]))


def _run(argv: list[str], cwd: Path) -> str:
    r = run(argv, cwd=str(cwd), capture_output=True)
    if r.returncode != 0:
        raise PryError(f"{Path(argv[0]).name} failed: "
                       + (r.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1])
    return r.stdout.decode(errors="replace")


def print_table(project: Project, result: CovResult) -> None:
    if not result.files:
        h = result.target.harness
        problems, _ = instrumentation_problems(project, h)
        # No problem found: the code under test, if any, sits in the harness
        # folder (./pry new's scaffold), which the table leaves out.
        print(f"pry cov: warning: no file of the code under test is instrumented in {h}: "
              + ("; ".join(problems) or f"pry cov counts the code of targets/{h}/ and of "
                 f"{h}_EXTLIBS, and leaves out harnesses/{h}/; code under test written in "
                 f"the harness file (as ./pry new's example is) is not counted: move it to "
                 f"targets/{h}/ or a library ({LIBRARY_HINT})"))
        return
    width = max([len(f.name) for f in result.files] + [5])
    print(f"{'file':<{width}}  {'lines':>18}  {'branches':>18}")
    rows = result.files + ([result.total] if result.total else [])
    for f in rows:
        if f is result.total:
            print("-" * (width + 40))
        print(f"{f.name:<{width}}  {pct(f.lines):>7} {f'{f.lines[0]}/{f.lines[1]}':>10}  "
              f"{pct(f.branches):>7} {f'{f.branches[0]}/{f.branches[1]}':>10}")
    if result.html is not None:
        print(f"pry cov: HTML report: {project.rel(result.html)}")


# ---- is the code under test instrumented? ----
def make_vars(project: Project, names: list[str]) -> dict[str, str]:
    """Values of make variables (or expressions such as `$(origin X)`) as
    mk/common.mk and every harness.mk define them, asked of make itself."""
    exprs = [n if n.startswith("$(") else f"$({n})" for n in names]
    rule = "pry-print-vars: ; @" + " ; ".join(f"echo '{e}'" for e in exprs)
    r = run_quiet(["make", "-s", "--no-print-directory", "-f", "mk/common.mk",
                   "--eval", rule, "pry-print-vars"], project.root, timeout=60)
    values = r.stdout.decode(errors="replace").split("\n")
    return {n: (values[i].strip() if i < len(values) else "") for i, n in enumerate(names)}


def library_instrumented(path: Path) -> bool:
    """Does a library carry coverage instrumentation (SanitizerCoverage,
    which libFuzzer and AFL++ both use, or AFL++'s own)?"""
    args = ["nm", "-D"] if ".so" in path.name else ["nm"]
    r = run(args + [str(path)], capture_output=True)
    text = r.stdout.decode(errors="replace")
    return "__sanitizer_cov" in text or "__afl_" in text


def system_libraries(project: Project, ldlibs: str) -> list[tuple[str, Path]]:
    """(name, file) of every -lNAME that resolves to an installed library."""
    out = []
    for flag in ldlibs.split():
        if not flag.startswith("-l") or flag[2:] in SYSTEM_LIBS:
            continue
        name = flag[2:]
        for ext in ("so", "a"):
            r = run(["cc", f"-print-file-name=lib{name}.{ext}"],
                    capture_output=True)
            p = Path(r.stdout.decode().strip())
            if p.is_absolute() and p.exists():
                out.append((name, p.resolve()))
                break
    return out


def instrumentation_problems(project: Project, harness: str) -> tuple[list[str], list[str]]:
    """(problems, notes) about the code under test of |harness|. A
    problem: the harness has no code of its own under test (no target, no
    library built from source) and links an uninstrumented library, which
    is then fuzzed blind. A note: an uninstrumented library beside an
    instrumented target (a reference implementation, usually). Out of a
    checkout (a project of the user's, pry.toml) there is no harness.mk to
    read: nothing to say."""
    if not (project.root / "mk" / "common.mk").is_file():
        return [], []
    v = make_vars(project, [f"{harness}_TARGETS", f"$(origin {harness}_TARGETS)",
                            f"{harness}_LDLIBS", f"{harness}_EXTLIBS", "TARGETS"])
    if v[f"$(origin {harness}_TARGETS)"] == "undefined":
        uses = [harness] if harness in v["TARGETS"].split() else []
    else:
        uses = v[f"{harness}_TARGETS"].split()
    blind = [(n, p) for n, p in system_libraries(project, v[f"{harness}_LDLIBS"])
             if not library_instrumented(p)]
    problems: list[str] = []
    notes: list[str] = []
    for name, path in blind:
        if uses or v[f"{harness}_EXTLIBS"]:
            notes.append(f"{harness} also links lib{name} ({path}) without instrumentation: "
                         f"fine for a reference implementation; if it is code under test, "
                         f"build it from source ({harness}_EXTLIBS, {LIBRARY_HINT})")
        else:
            problems.append(
                f"{harness} links the system library lib{name} ({path}), which has no "
                f"coverage instrumentation and no sanitizers: the fuzzers are blind in it. "
                f"Build it from source instead: name its source tree in "
                f"harnesses/{harness}/harness.mk as {harness}_EXTLIBS and drop -l{name} from "
                f"{harness}_LDLIBS ({LIBRARY_HINT})")
    if os.environ.get("EXTLIB") == "system" and v[f"{harness}_EXTLIBS"] and not uses:
        # mk/extlib.mk links Debian's binary packages instead of the
        # instrumented builds: the comparison bench/extlib_cov.sh makes.
        problems.append(
            f"EXTLIB=system: {harness} links the system's binary package of "
            f"{v[f'{harness}_EXTLIBS']} instead of building it from source, with no coverage "
            f"instrumentation and no sanitizers: the fuzzers are blind in it. Unset EXTLIB "
            f"to fuzz the instrumented build ({LIBRARY_HINT})")
    return problems, notes


def tiny_coverage(project: Project, harness: str, edges: float, execs: int) -> Optional[str]:
    """The other sign: the edge count never grew. A small property has few
    edges too (`pry new`'s template has 12), so in pry's checkout, where
    harness.mk says what is linked, a harness that links no system library
    gets no warning: it has nothing to be blind in. Out of it pry cannot
    tell, and says what to check."""
    if execs < TINY_AFTER_EXECS or edges <= 0 or edges >= TINY_EDGES:
        return None
    if (project.root / "mk" / "common.mk").is_file():
        ldlibs = make_vars(project, [f"{harness}_LDLIBS"])[f"{harness}_LDLIBS"]
        if not system_libraries(project, ldlibs):
            return None
    return (f"coverage stayed at {edges:g} edges after {execs} execs. That is all there is "
            f"of a small property, but if {harness} links a library prebuilt (-lfoo, or its "
            f".a), the fuzzers are blind in it: build it from source with the fuzzing build's "
            f"flags ({harness}_EXTLIBS in harnesses/{harness}/harness.mk, or out of pry's "
            f"checkout the Cflags of pkg-config pry-afl / pry-libfuzzer; {LIBRARY_HINT}); "
            f"pry doctor {harness} checks")


def ci_lines(project: Project, harnesses: list[str]) -> list[str]:
    """One coverage line per harness for ci's summary.md; a harness whose
    coverage cannot be measured says why instead of failing the job."""
    lines = []
    for h in harnesses:
        try:
            result = coverage(project, Target(h, None), quiet=True)
            line = result.line()
            if result.html is not None and result.files:
                line += f" (HTML: `{project.rel(result.html)}`)"
        except PryError as e:
            line = f"{h}: coverage not measured: {e}"
        problems, _ = instrumentation_problems(project, h)
        lines += [line] + [f"{h}: warning: {p}" for p in problems]
    return lines
