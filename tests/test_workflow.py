#!/usr/bin/env python3
"""tests/test_workflow.py: the CI files say what they mean.

  .github/workflows/fuzz.yml  valid YAML, and the same workflow that
      docs/ci.md shows; triggers (pull request, nightly schedule, by hand);
      the fuzzing time each trigger gets (the expressions are evaluated);
      install, core_pattern, corpus cache (restore and save, keyed by branch
      and run), report upload, SARIF upload (always); every `run:` line
      uses only existing files, make targets and ./pry subcommands/options
      of the command-line contract (DESIGN.md, else `./pry help`); and the
      workflow's ./pry ci invocation run in miniature (5 s, two
      properties): exit 0 and a well-formed report; on a property that
      crashes, exit 1 and the finding in every report file.
  docker/Dockerfile  debian:12; the same packages as mk/deps.sh; only
      existing make targets; ENTRYPOINT ./pry, CMD demo.

Prints "N passed, N failed" last.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github/workflows/fuzz.yml"
DOCKERFILE = ROOT / "docker/Dockerfile"
DESIGN_CANDIDATES = [ROOT / "DESIGN.md", ROOT.parent / "shared/DESIGN.md"]

passed = 0
failed = 0


def expect(what: str, cond: Callable[[], Any] | bool, detail: str = "") -> bool:
    global passed, failed
    try:
        ok = bool(cond() if callable(cond) else cond)
        err = ""
    except Exception as e:  # a check that raises is a failed check
        ok, err = False, f"{type(e).__name__}: {e}"
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", file=sys.stderr)
        for line in (detail or err).splitlines()[:40]:
            print(f"    | {line}", file=sys.stderr)
    return ok


def finish() -> None:
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)


# ---------------------------------------------------------------- facts
def make_targets() -> set[str]:
    """Targets the top Makefile defines (make's own database)."""
    r = subprocess.run(["make", "-pRrq", "-f", "Makefile", ":"], cwd=ROOT,
                       capture_output=True, text=True)
    names = set()
    for line in r.stdout.splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+):(?!=)", line)
        if m and not m.group(1).startswith("."):
            names.add(m.group(1))
    return names


def design_commands() -> tuple[dict[str, set[str]], str]:
    """./pry subcommands of the command-line contract, each with the options
    its lines mention, and where they were read: DESIGN.md's "The
    command-line contract" block, or (where no DESIGN.md has it, as in a
    clone) `./pry help`, which prints the same contract."""
    for path in DESIGN_CANDIDATES:
        text = path.read_text() if path.is_file() else ""
        block = re.search(r"## The command-line contract.*?```(.*?)```", text, re.S)
        if block:
            return parse_usage(block.group(1), r"^\./pry (\w+)(.*)"), str(path)
    r = subprocess.run([str(ROOT / "pry"), "help"], cwd=ROOT, capture_output=True, text=True)
    return parse_usage(r.stdout, r"^  (\w+)(.*)"), "./pry help"


def parse_usage(text: str, command_re: str) -> dict[str, set[str]]:
    cmds: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(command_re, line)
        if m:
            current = m.group(1)
            cmds[current] = set(re.findall(r"--[a-z-]+", m.group(2)))
        elif current and line.startswith(" "):
            cmds[current] |= set(re.findall(r"--[a-z-]+", line))
    return cmds


def deps_packages() -> list[str]:
    m = re.search(r'^PACKAGES="([^"]*)"', (ROOT / "mk/deps.sh").read_text(), re.M)
    return m.group(1).split() if m else []


# ------------------------------------------- GitHub expressions (a subset)
def eval_expr(expr: str, ctx: dict[str, Any]) -> Any:
    """Evaluate a ${{ }} expression made of context paths, 'strings',
    numbers, ==, !=, &&, || and parentheses, with GitHub's semantics
    (&& and || return an operand; missing properties are null)."""
    toks = re.findall(r"'(?:[^']|'')*'|==|!=|&&|\|\||\(|\)|[A-Za-z_][\w.-]*|\d+", expr)
    if "".join(toks).replace(" ", "") != re.sub(r"\s", "", expr):
        raise ValueError(f"unsupported expression: {expr}")
    pos = 0

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def atom() -> Any:
        t = take()
        if t == "(":
            v = or_()
            take()
            return v
        if t.startswith("'"):
            return t[1:-1].replace("''", "'")
        if t.isdigit():
            return t
        if t in ("true", "false"):
            return t == "true"
        v: Any = ctx
        for part in t.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        return v

    def cmp() -> Any:
        v = atom()
        while peek() in ("==", "!="):
            op = take()
            w = atom()
            v = (str(v) == str(w)) if op == "==" else (str(v) != str(w))
        return v

    def and_() -> Any:
        v = cmp()
        while peek() == "&&":
            take()
            w = cmp()
            v = w if v else v
        return v

    def or_() -> Any:
        v = and_()
        while peek() == "||":
            take()
            w = and_()
            v = v if v else w
        return v

    return or_()


def expand_exprs(s: str, ctx: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(eval_expr(m.group(1), ctx)), s)


# --------------------------------------------------------- run: commands
ALLOWED_COMMANDS = {"apt-get", "echo", "tee", "cat", "command", "if", "then", "fi", "else",
                    "[", "test", "true", "SUDO", "$SUDO"}


def check_run_line(line: str, targets: set[str], cmds: dict[str, set[str]]) -> list[str]:
    """Problems with one line of a run: block ([] when it is fine)."""
    problems: list[str] = []
    m = re.match(r"^\s*\w+=\$\((.*)\)\s*$", line)  # VAR=$(command ...)
    if m:
        return check_run_line(m.group(1), targets, cmds)
    for part in re.split(r"\|\||&&|\||;", line):
        part = part.strip()
        if not part or part.startswith("#"):
            continue
        try:
            words = shlex.split(part)
        except ValueError as e:
            return [f"{line!r}: {e}"]
        while words and re.match(r"^[A-Z_]+=", words[0]):  # VAR=value prefixes
            words = words[1:]
        if not words:
            continue
        w0 = words[0]
        if w0 in ("sudo", "$SUDO"):
            words = words[1:]
            w0 = words[0] if words else ""
        if w0 == "make":
            for t in words[1:]:
                if not t.startswith("-") and "=" not in t and t not in targets:
                    problems.append(f"make target '{t}' does not exist")
        elif w0 == "./pry":
            if len(words) < 2 or words[1] not in cmds:
                problems.append(f"'{part}': not a ./pry subcommand in DESIGN.md")
            else:
                for opt in words[2:]:
                    if opt.startswith("--") and opt not in cmds[words[1]]:
                        problems.append(f"'{part}': {opt} is not an option of ./pry {words[1]}")
        elif w0 in ("sh", "bash", "python3"):
            if len(words) < 2 or not (ROOT / words[1]).is_file():
                problems.append(f"'{part}': script does not exist")
        elif w0 not in ALLOWED_COMMANDS:
            problems.append(f"'{part}': unexpected command {w0}")
        for w in words:  # paths into the repository must exist
            if re.match(r"^(mk|tests|harnesses|generators|docker|wrapper|bench)/", w) \
                    and not (ROOT / w).exists():
                problems.append(f"'{part}': {w} does not exist")
    return problems


def run_lines(step: dict[str, Any]) -> list[str]:
    return [ln for ln in str(step.get("run", "")).splitlines() if ln.strip()]


# ------------------------------------------------------------------ main
def main() -> None:
    os.chdir(ROOT)
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        expect("python3-yaml is installed (add python3-yaml to mk/deps.sh)", False,
               "import yaml failed: sudo apt-get install -y python3-yaml")
        finish()

    text = WORKFLOW.read_text() if WORKFLOW.is_file() else ""
    expect(".github/workflows/fuzz.yml exists", bool(text))
    try:
        wf = yaml.safe_load(text)
    except yaml.YAMLError as e:
        expect("fuzz.yml is valid YAML", False, str(e))
        finish()
    expect("fuzz.yml is valid YAML (a mapping with jobs)", isinstance(wf, dict) and "jobs" in wf)
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    expect("triggers: pull_request", lambda: "pull_request" in on)
    crons = [s["cron"] for s in (on.get("schedule") or [])] if isinstance(on, dict) else []
    expect("triggers: a nightly schedule with a valid 5-field cron",
           lambda: len(crons) == 1 and re.fullmatch(
               r"[0-9]{1,2} [0-9]{1,2} \* \* \*", crons[0]) is not None, str(crons))
    expect("triggers: workflow_dispatch", lambda: "workflow_dispatch" in on)
    perms = wf.get("permissions", {})
    expect("permissions: security-events: write (SARIF upload), contents: read",
           lambda: perms.get("security-events") == "write" and perms.get("contents") == "read")

    jobs = wf["jobs"]
    expect("one job", len(jobs) == 1)
    job = next(iter(jobs.values()))
    steps = job.get("steps", [])
    expect("every step has uses: or run:", all(("uses" in s) != ("run" in s) for s in steps))
    expect("the job has a timeout", isinstance(job.get("timeout-minutes"), int))
    container = job.get("container", {})
    image = container.get("image") if isinstance(container, dict) else container
    expect("the job runs on debian:12, like docker/Dockerfile", image == "debian:12")

    # The fuzzing time of each trigger.
    env = {**wf.get("env", {}), **job.get("env", {})}
    fuzz_steps = [s for s in steps if "./pry ci" in str(s.get("run", ""))]
    expect("one step runs ./pry ci", len(fuzz_steps) == 1)
    ci_line = next((ln.strip() for s in fuzz_steps for ln in run_lines(s) if "./pry ci" in ln), "")

    def ci_time(event: str, inputs: dict[str, str]) -> str:
        """The --time the ./pry ci line gets for |event|: the job's env
        expressions evaluated, then substituted as the shell would."""
        ctx = {"github": {"event_name": event, "event": {"inputs": inputs}}}
        env_vals = {k: expand_exprs(str(v), ctx) for k, v in env.items()}
        line = re.sub(r"\$\{?(\w+)\}?", lambda m: env_vals.get(m.group(1), m.group(0)),
                      expand_exprs(ci_line, ctx))
        words = shlex.split(line)
        return words[words.index("--time") + 1]

    expect("pull requests fuzz for 120 s", lambda: ci_time("pull_request", {}) == "120",
           detail=f"{ci_line}\n{env}")
    expect("the nightly schedule fuzzes for 1800 s", lambda: ci_time("schedule", {}) == "1800")
    expect("by hand: the seconds input", lambda: ci_time("workflow_dispatch", {"seconds": "42"}) == "42")

    # Steps that must be there.
    def uses(prefix: str) -> list[dict[str, Any]]:
        return [s for s in steps if str(s.get("uses", "")).startswith(prefix)]

    all_run = "\n".join(str(s.get("run", "")) for s in steps)
    expect("checks out the repository", bool(uses("actions/checkout@")))
    expect("installs with mk/deps.sh or make deps",
           re.search(r"(^|\s)(sh mk/deps\.sh|make deps)\b", all_run, re.M) is not None)
    expect("sets core_pattern to core for AFL++",
           re.search(r"echo core \| (\S+ )?tee /proc/sys/kernel/core_pattern", all_run) is not None)
    deps_at = [i for i, s in enumerate(steps) if "mk/deps.sh" in str(s.get("run", ""))]
    expect("dependencies are installed before fuzzing",
           bool(deps_at) and bool(fuzz_steps) and deps_at[0] < steps.index(fuzz_steps[0]))

    restore = uses("actions/cache/restore@")
    save = uses("actions/cache/save@")
    combined = uses("actions/cache@")
    cache_steps = restore + save + combined
    expect("caches pry-out/corpus/",
           bool(cache_steps) and all(s["with"]["path"].rstrip("/") == "pry-out/corpus"
                                     for s in cache_steps))
    key = str((restore or combined or [{}])[0].get("with", {}).get("key", ""))
    expect("corpus cache key has the branch and the run",
           "head_ref" in key or "ref_name" in key or "github.ref" in key, key)
    expect("corpus cache key is unique per run (so every run saves its corpus)", "run_id" in key, key)
    rk = str((restore or combined or [{}])[0].get("with", {}).get("restore-keys", ""))
    expect("corpus cache has restore-keys (the latest corpus of the branch, then any)",
           rk.strip() != "" and "pry-corpus-" in rk, rk)
    if restore:
        expect("the corpus is saved even when the job fails (findings)",
               bool(save) and "always()" in str(save[0].get("if", "")))
        expect("restore and save use the same key",
               bool(save) and save[0]["with"]["key"] == restore[0]["with"]["key"])
        expect("the corpus is restored before fuzzing",
               bool(fuzz_steps) and steps.index(restore[0]) < steps.index(fuzz_steps[0]))

    art = uses("actions/upload-artifact@")
    expect("uploads pry-out/ci-report/ as an artifact, always",
           len(art) == 1 and str(art[0]["with"]["path"]).rstrip("/") == "pry-out/ci-report"
           and "always()" in str(art[0].get("if", "")))
    sarif = uses("github/codeql-action/upload-sarif@")
    expect("uploads pry-out/ci-report/results.sarif to code scanning, always",
           len(sarif) == 1 and sarif[0]["with"]["sarif_file"] == "pry-out/ci-report/results.sarif"
           and "always()" in str(sarif[0].get("if", "")))
    expect("the fuzz step is not continue-on-error (findings fail the job)",
           bool(fuzz_steps) and not fuzz_steps[0].get("continue-on-error"))

    # Every run: line uses only what exists.
    targets = make_targets()
    cmds, source = design_commands()
    expect(f"the command-line contract ({source}) lists ./pry ci with --time",
           "--time" in cmds.get("ci", set()), str(cmds))
    for s in steps:
        for ln in run_lines(s):
            problems = check_run_line(ln, targets, cmds)
            expect(f"run: {ln.strip()[:70]}: only existing files, make targets, ./pry commands",
                   not problems, "\n".join(problems))

    # docs/ci.md shows the workflow to copy: the same one.
    doc = (ROOT / "docs/ci.md").read_text() if (ROOT / "docs/ci.md").is_file() else ""
    shown = next((yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", doc, re.S)
                  if "./pry ci" in b), None)
    expect("docs/ci.md shows the same workflow as .github/workflows/fuzz.yml", shown == wf)

    # docker/Dockerfile.
    df = DOCKERFILE.read_text() if DOCKERFILE.is_file() else ""
    expect("docker/Dockerfile exists", bool(df))
    lines = [ln.strip() for ln in df.replace("\\\n", " ").splitlines()
             if ln.strip() and not ln.strip().startswith("#")]
    expect("docker/Dockerfile: FROM debian:12", bool(lines) and lines[0] == "FROM debian:12")
    runs = [ln[4:] for ln in lines if ln.startswith("RUN ")]
    pkgs = deps_packages()
    deps_run = next((i for i, ln in enumerate(lines)
                     if ln.startswith("RUN ") and re.search(r"\bsh mk/deps\.sh\b", ln)), None)
    runs_deps = deps_run is not None and any(
        re.match(r"COPY (mk/deps\.sh|\.) ", ln) for ln in lines[:deps_run])
    apt = set()
    for r in runs:
        for m in re.finditer(r"apt-get install ([^&;|]*)", r):
            apt |= {w for w in m.group(1).split() if not w.startswith("-")}
    expect("docker/Dockerfile installs exactly mk/deps.sh's packages "
           "(runs mk/deps.sh after copying it, or apt-get installs the same list)",
           bool(pkgs) and (runs_deps or apt == set(pkgs)),
           f"deps.sh: {sorted(pkgs)}\nDockerfile apt-get: {sorted(apt)}")
    for r in runs:
        for cmd in re.split(r"&&|;|\|\|", r):
            w = shlex.split(cmd.strip().strip("()")) if cmd.strip() else []
            if w and w[0] == "make":
                bad = [t for t in w[1:] if not t.startswith("-") and "=" not in t
                       and t not in targets]
                expect(f"docker/Dockerfile: RUN {cmd.strip()}: make targets exist", not bad,
                       f"no such make target: {bad}")
    expect("docker/Dockerfile: ENTRYPOINT [\"./pry\"]", 'ENTRYPOINT ["./pry"]' in lines)
    cmd_line = next((ln for ln in lines if ln.startswith("CMD ")), "")
    expect("docker/Dockerfile: CMD [\"demo\"], a ./pry subcommand",
           cmd_line == 'CMD ["demo"]' and "demo" in cmds)

    # The workflow's ./pry ci, in miniature.
    pry = ROOT / "pry"
    if not (pry.is_file() and os.access(pry, os.X_OK)):
        expect("./pry exists (to run the workflow's ./pry ci in miniature)", False,
               "./pry is missing: the wrapper is not written yet")
        finish()
    with tempfile.TemporaryDirectory() as tmp:
        words = shlex.split(ci_line.replace("\"$PRY_CI_TIME\"", "5").replace("$PRY_CI_TIME", "5"))
        report = Path(tmp) / "ci-report"
        small = words + ["--report", str(report), "patch/roundtrip", "patch/no_escape"]
        r = subprocess.run(small, cwd=ROOT, capture_output=True, text=True, timeout=600)
        out = f"$ {' '.join(small)}\n{r.stdout}{r.stderr}"
        expect("the workflow's ./pry ci (5 s, two properties) exits 0", r.returncode == 0, out)
        check_report(report, 0, out)

        report2 = Path(tmp) / "ci-report-found"
        found = words + ["--report", str(report2), "selftest/crashes_on_bangs"]
        r = subprocess.run(found, cwd=ROOT, capture_output=True, text=True, timeout=600)
        out = f"$ {' '.join(found)}\n{r.stdout}{r.stderr}"
        expect("the same ./pry ci on a property that crashes exits 1 (the job fails)",
               r.returncode == 1, out)
        check_report(report2, 1, out)
        expect("a finding's artifacts are in the report folder (uploaded with it)",
               lambda: any((report2 / "artifacts").iterdir()), out)
    finish()


def check_report(report: Path, findings: int, out: str) -> None:
    """summary.md, junit.xml and results.sarif, well-formed, agreeing on
    whether something was found."""
    tag = "clean" if findings == 0 else "with a finding"
    for name in ("summary.md", "junit.xml", "results.sarif"):
        expect(f"report ({tag}): {name} written", (report / name).is_file(), out)
    try:
        suites = ET.parse(report / "junit.xml").getroot()
        fails = len(suites.findall(".//failure")) + len(suites.findall(".//error"))
        expect(f"report ({tag}): junit.xml parses, {'no' if not findings else 'a'} failure",
               (fails == 0) == (findings == 0), ET.tostring(suites, encoding="unicode")[:2000])
    except (ET.ParseError, OSError) as e:
        expect(f"report ({tag}): junit.xml parses", False, str(e))
    try:
        sarif = json.loads((report / "results.sarif").read_text())
        results = [res for run in sarif.get("runs", []) for res in run.get("results", [])]
        expect(f"report ({tag}): results.sarif is SARIF 2.1.0 with "
               f"{'no' if not findings else 'a'} result",
               sarif.get("version") == "2.1.0" and (len(results) == 0) == (findings == 0),
               json.dumps(sarif)[:2000])
    except (ValueError, OSError) as e:
        expect(f"report ({tag}): results.sarif parses", False, str(e))


if __name__ == "__main__":
    main()
