"""./pry: the command line (DESIGN.md, "The command-line contract").

Exit status: 0 nothing found (or the replayed case passes), 1 found (or the
replayed case fails), 2 usage or environment error, with one line on
stderr saying why."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Callable, Optional

from . import build
from .cbor import CborError, is_record, read_record_header, reader
from .common import (ENGINES, EXIT_ERROR, EXIT_FOUND, EXIT_OK, SELFTEST, Project, PryError,
                     StopFlag, Target, adopt_orphans, run)

USAGE = """usage: ./pry COMMAND ...
  list [HARNESS|BINARY] [--plants] harness/property lines (--plants: harness bug description)
  fuzz TARGET [--engine afl|libfuzzer|random] [--time S] [--jobs N]
              [--plant BUG|all] [--seed N] [--json FILE] [--ui]
              [--mutator typed|bytes]  typed: pry's draw-aware mutator; default typed
                                       under AFL++, bytes under libFuzzer (bench/RESULTS-deep.md)
  demo [HARNESS] [--plant BUG|all] a planted bug on (default: the target's story bug), AFL++, first finding shrunk and typed
  demo --deep                      a deep planted bug: random mode misses it, AFL++ finds it
  repro FILE [TARGET]              replay a counterexample (raw bytes or .cbor)
  shrink FILE TARGET [-o OUT]      shrink a failing input into a .cbor record
  show FILE                        print a saved record, typed and as CBOR
  keep FILE                        make a finding's .cbor record a regression (corpora/<h>/<p>/regressions/)
  plot OUTDIR                      PNG plots of a campaign
  ci [--time S] [--engine E] [--mutator M] [--report DIR] [--time-per S] [TARGET...]
  new NAME [--lib SRC]             scaffold harnesses/NAME with a passing property
                                   (SRC: the library's source, deb:PACKAGE or a folder)
  doctor [TARGET]                  check the environment (and TARGET's instrumentation)
  cov TARGET                       line/branch coverage of the code under test by the corpus
TARGET is HARNESS or HARNESS/PROPERTY. Exit: 0 nothing found, 1 found, 2 error.
"""

# option -> kind: "flag", "int", "float", "str", "engine"
Spec = dict[str, str]


def parse(cmd: str, args: list[str], spec: Spec, min_pos: int, max_pos: int,
          names: str) -> tuple[list[str], dict[str, object]]:
    """A strict parser: unknown options and wrong counts are usage errors
    (exit 2, one line), which argparse would print as several."""
    if any(a in ("-h", "--help") for a in args):
        raise HelpRequested(cmd, names)
    pos: list[str] = []
    opts: dict[str, object] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and a != "-":
            key, _, inline = a.partition("=")
            kind = spec.get(key)
            if kind is None:
                raise PryError(f"unknown option '{a}' for '{cmd}' (usage: ./pry {cmd} {names})")
            if kind == "flag":
                opts[key] = True
                i += 1
                continue
            if inline:
                value = inline
                i += 1
            elif i + 1 < len(args):
                value = args[i + 1]
                i += 2
            else:
                raise PryError(f"{key} needs a value")
            opts[key] = convert(key, kind, value)
        else:
            pos.append(a)
            i += 1
    if not min_pos <= len(pos) <= max_pos:
        raise PryError(f"usage: ./pry {cmd} {names}")
    return pos, opts


class HelpRequested(Exception):
    """--help on a command: its usage on stdout, exit status 0."""

    def __init__(self, cmd: str, names: str):
        super().__init__(cmd)
        self.cmd = cmd
        self.names = names

    def text(self) -> str:
        """The synopsis, then the command's lines of USAGE."""
        out = [f"usage: ./pry {self.cmd} {self.names}".rstrip()]
        mine = False
        for line in USAGE.splitlines()[1:]:
            if line.startswith("  ") and not line.startswith("   "):
                mine = line.split()[0] == self.cmd
            elif not line.startswith(" "):
                mine = False
            if mine:
                out.append(line)
        out.append("Exit: 0 nothing found, 1 found, 2 error. See README.md and docs/wrapper.md.")
        return "\n".join(out) + "\n"


def convert(key: str, kind: str, value: str) -> object:
    try:
        if kind == "int":
            n = int(value, 0)
            if n < 0:
                raise ValueError
            return n
        if kind == "float":
            x = float(value)
            if not x > 0:
                raise ValueError
            return x
    except ValueError:
        raise PryError(f"{key} wants a {'number' if kind == 'int' else 'positive number of seconds'}, "
                       f"not '{value}'") from None
    if kind == "engine" and value not in ENGINES:
        raise PryError(f"unknown engine '{value}': afl, libfuzzer or random")
    return value


# ---- list ----
def cmd_list(project: Project, args: list[str], stop: StopFlag) -> int:
    pos, o = parse("list", args, {"--plants": "flag"}, 0, 1, "[HARNESS|BINARY] [--plants]")
    harnesses = [project.parse_target(pos[0]).harness] if pos else project.shipped_harnesses()
    if not harnesses and not (project.root / "harnesses").is_dir():
        raise PryError("no harnesses here: name them in pry.toml, or give a harness binary "
                       "(pry list ./BINARY); see docs/wrapper.md")
    for h in harnesses:
        for p in build.properties(project, h):
            print(f"{h}/{p}")
    if o.get("--plants"):
        shipped = set(project.shipped_harnesses())
        for target, bug, desc, _ in project.plants():
            if target in shipped:
                print(f"{target} {bug} {desc}")
    return EXIT_OK


# ---- fuzz and demo ----
FUZZ_SPEC: Spec = {"--engine": "engine", "--time": "float", "--jobs": "int", "--plant": "str",
                   "--seed": "int", "--json": "str", "--ui": "flag", "--mutator": "str"}


def cmd_fuzz(project: Project, args: list[str], stop: StopFlag) -> int:
    from .campaign import FuzzOptions, run_campaign
    pos, o = parse("fuzz", args, FUZZ_SPEC, 1, 1, "TARGET [options]")
    jobs = int(o.get("--jobs", 1))  # type: ignore[arg-type]
    if jobs < 1:
        raise PryError("--jobs wants at least 1")
    opts = FuzzOptions(target=project.parse_target(pos[0]),
                       engine=str(o.get("--engine", "afl")),
                       time_limit=o.get("--time"),  # type: ignore[arg-type]
                       jobs=jobs, plant=o.get("--plant"),  # type: ignore[arg-type]
                       seed=o.get("--seed"),  # type: ignore[arg-type]
                       json_path=Path(str(o["--json"])) if "--json" in o else None,
                       ui=bool(o.get("--ui")),
                       mutator=str(o["--mutator"]) if "--mutator" in o else None)
    result = run_campaign(project, opts, stop)
    if not result.findings and result.unhealthy:
        from .health import unhealthy_error
        raise PryError(unhealthy_error(result.unhealthy))
    return EXIT_FOUND if result.findings else EXIT_OK


def cmd_demo(project: Project, args: list[str], stop: StopFlag) -> int:
    from .demo import run_demo
    pos, o = parse("demo", args, {"--plant": "str", "--deep": "flag"}, 0, 1,
                   "[HARNESS] [--plant BUG|all] | --deep")
    if o.get("--deep"):
        if pos or "--plant" in o:
            raise PryError("demo --deep takes no harness or --plant: it has its own bug")
        from .demo_deep import run_deep_demo
        return run_deep_demo(project, stop)
    return run_demo(project, pos[0] if pos else None,
                    o.get("--plant"), stop)  # type: ignore[arg-type]


# ---- repro, shrink, show: the harness binary does the work ----
def record_target(project: Project, path: Path) -> tuple[Target, Optional[str]]:
    """(target, plants) of a .cbor record, or raise PryError."""
    read_input(path)  # a missing or unreadable file gets its own message
    try:
        head = read_record_header(project.root, path)
    except CborError as e:
        raise PryError(f"{path}: not a valid pry record ({e})") from None
    harness, prop = str(head["harness"]), str(head["property"])
    if project.harness_dir(harness) is None:
        raise PryError(f"{path} is a record for harness '{harness}', which this project lacks")
    plants = head.get("plants")
    return Target(harness, prop), (str(plants) if plants else None)


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PryError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PryError(f"{path} is a directory, not a saved input") from None
    except OSError as e:
        raise PryError(f"{path}: {e.strerror}") from None


def resolve_file_target(project: Project, path: Path, target_arg: Optional[str],
                        need_target: bool) -> tuple[Target, Optional[str], bool]:
    """Which harness (and property, plants) a FILE is for; the flag says
    whether it is a record."""
    data = read_input(path)
    if is_record(data):
        target, plants = record_target(project, path)
        if target_arg is not None:
            given = project.parse_target(target_arg)
            if given.harness != target.harness:
                raise PryError(f"{path} is a record for {target.harness}, not {given.harness}")
        return target, plants, True
    verb = 'repro' if not need_target else 'shrink'
    if target_arg is None:
        raise PryError(f"{path} holds raw bytes, not a record: say which target, "
                       f"./pry {verb} FILE HARNESS/PROPERTY")
    return raw_target(project, path, project.parse_target(str(target_arg)), verb), None, False


def raw_target(project: Project, path: Path, target: Target, verb: str) -> Target:
    """Raw bytes hold no property name: take the one given, or the
    harness's only one (and say so); never let the first byte pick."""
    if target.prop is not None:
        return target
    names = build.properties(project, target.harness)
    if len(names) == 1:
        print(f"pry: replaying {path} as {target.harness}/{names[0]}, the harness's only property")
        return Target(target.harness, names[0])
    raise PryError(f"{path} holds raw bytes and {target.harness} has {len(names)} properties: "
                   f"say which, ./pry {verb} FILE {target.harness}/PROPERTY "
                   f"({', '.join(names)})")


def runner_argv(binary: Path, flag: str, path: Path, target: Target, is_rec: bool) -> list[str]:
    argv = [str(binary), flag, str(path)]
    if target.prop and not is_rec:
        argv += ["--test", target.prop]
    return argv


def exec_runner(project: Project, argv: list[str]) -> int:
    """Run the binary in the foreground with its own output; its exit
    status (0 pass, 1 fail, 2 error) is ours."""
    try:
        return run(argv, cwd=str(project.root)).returncode
    except KeyboardInterrupt:
        return EXIT_ERROR


def cmd_repro(project: Project, args: list[str], stop: StopFlag) -> int:
    pos, _ = parse("repro", args, {}, 1, 2, "FILE [TARGET]")
    path = Path(pos[0])
    target, plants, is_rec = resolve_file_target(project, path, pos[1] if len(pos) > 1 else None,
                                                 False)
    build.check_property(project, target.harness, target.prop, plants)
    binary = build.build(project, "plain", target.harness, plants)
    # Replay on the sanitizer build when it can be built: memory bugs show.
    try:
        binary = build.build(project, "asan", target.harness, plants)
    except PryError:
        pass
    if plants:
        print(f"pry: the record was found with planted bugs {plants}: replaying on that build")
    return exec_runner(project, runner_argv(binary, "--repro", path.resolve(), target, is_rec))


def cmd_shrink(project: Project, args: list[str], stop: StopFlag) -> int:
    pos, o = parse("shrink", args, {"-o": "str", "--budget": "float"}, 2, 2,
                   "FILE TARGET [-o OUT]")
    path = Path(pos[0])
    target, plants, is_rec = resolve_file_target(project, path, pos[1], True)
    build.check_property(project, target.harness, target.prop, plants)
    binary = build.build(project, "plain", target.harness, plants)
    argv = runner_argv(binary, "--shrink", path.resolve(), target, is_rec)
    if "-o" in o:
        argv += ["-o", str(Path(str(o["-o"])).resolve())]
    if "--budget" in o:
        argv += ["--budget", str(o["--budget"])]
    return exec_runner(project, argv)


def cmd_show(project: Project, args: list[str], stop: StopFlag) -> int:
    pos, _ = parse("show", args, {}, 1, 1, "FILE")
    path = Path(pos[0])
    if not is_record(read_input(path)):
        raise PryError(f"{path} is not a pry record (raw input? use ./pry repro FILE TARGET)")
    # The kit's record reader prints it: no harness binary needed.
    try:
        tool = reader(project.root)
    except CborError as e:
        raise PryError(str(e)) from None
    return exec_runner(project, [str(tool), "--show", str(path.resolve())])


def cmd_keep(project: Project, args: list[str], stop: StopFlag) -> int:
    from .keep import keep
    pos, _ = parse("keep", args, {}, 1, 1, "FILE")
    path = Path(pos[0])
    if not is_record(read_input(path)):
        raise PryError(f"{path} holds raw bytes, not a record: shrink it into one first, "
                       f"./pry shrink FILE HARNESS/PROPERTY -o OUT.cbor")
    target, plants = record_target(project, path)
    return keep(project, path, target, plants)


def cmd_plot(project: Project, args: list[str], stop: StopFlag) -> int:
    from .plot import plot
    pos, _ = parse("plot", args, {}, 1, 1, "OUTDIR")
    for png in plot(Path(pos[0])):
        print(png)
    return EXIT_OK


def cmd_ci(project: Project, args: list[str], stop: StopFlag) -> int:
    from .ci import CiOptions, run_ci
    pos, o = parse("ci", args, {"--time": "float", "--engine": "engine", "--report": "str",
                                "--time-per": "float", "--seed": "int", "--mutator": "str"},
                   0, 1000, "[--time S] [--engine E] [--mutator M] [--report DIR] [TARGET...]")
    targets = [project.parse_target(t) for t in pos]
    opts = CiOptions(targets=targets, time_total=o.get("--time"),  # type: ignore[arg-type]
                     time_per=o.get("--time-per"),  # type: ignore[arg-type]
                     engine=str(o.get("--engine", "afl")),
                     report=Path(str(o.get("--report", project.out / "ci-report"))),
                     seed=o.get("--seed"),  # type: ignore[arg-type]
                     mutator=str(o["--mutator"]) if "--mutator" in o else None)
    return run_ci(project, opts, stop)


def cmd_new(project: Project, args: list[str], stop: StopFlag) -> int:
    from .scaffold import scaffold
    pos, o = parse("new", args, {"--lib": "str"}, 1, 1, "NAME [--lib deb:PACKAGE|FOLDER]")
    return scaffold(project, pos[0], o.get("--lib"))  # type: ignore[arg-type]


def cmd_doctor(project: Project, args: list[str], stop: StopFlag) -> int:
    from .doctor import doctor
    pos, _ = parse("doctor", args, {}, 0, 1, "[TARGET]")
    return doctor(project, project.parse_target(pos[0]) if pos else None)


def cmd_cov(project: Project, args: list[str], stop: StopFlag) -> int:
    from .cov import coverage, print_table
    pos, _ = parse("cov", args, {}, 1, 1, "TARGET")
    print_table(project, coverage(project, project.parse_target(pos[0])))
    return EXIT_OK


COMMANDS: dict[str, Callable[[Project, list[str], StopFlag], int]] = {
    "list": cmd_list, "fuzz": cmd_fuzz, "demo": cmd_demo, "repro": cmd_repro,
    "shrink": cmd_shrink, "show": cmd_show, "plot": cmd_plot, "ci": cmd_ci, "new": cmd_new,
    "doctor": cmd_doctor, "cov": cmd_cov, "keep": cmd_keep,
}


def install_signals(stop: StopFlag) -> None:
    """Ctrl-C and SIGTERM ask every loop to stop (children are in their own
    sessions, so the terminal's signal reaches only pry, which stops them
    and keeps what was found). A third one gives up at once."""
    def handler(signum: int, frame: object) -> None:
        stop.set()
        if stop.count >= 3:
            raise KeyboardInterrupt
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str]) -> int:
    root = Path(os.environ.get("PRY_ROOT") or Path(__file__).resolve().parents[2])
    project = Project(root)
    if not (root / "mk" / "build.mk").is_file():
        # The installed pry, in a project of the user's (external.py).
        from .external import ExternalProject, find_root
        try:
            project = ExternalProject(find_root(Path.cwd()))
        except PryError as e:
            sys.stderr.write(f"pry: {e}\n")
            return EXIT_ERROR
    if not argv:
        sys.stderr.write("pry: no command given (try ./pry help)\n")
        return EXIT_ERROR
    if argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return EXIT_OK
    cmd = argv[0]
    fn = COMMANDS.get(cmd)
    if fn is None:
        sys.stderr.write(f"pry: unknown command '{cmd}' (try ./pry help)\n")
        return EXIT_ERROR
    adopt_orphans()  # before any child: what a fuzzer leaves comes back to pry
    stop = StopFlag()
    install_signals(stop)
    if cmd != "list":  # list's output is read by scripts
        build.announce_to(sys.stdout)
    try:
        return fn(project, argv[1:], stop)
    except HelpRequested as h:
        sys.stdout.write(h.text())
        return EXIT_OK
    except PryError as e:
        sys.stdout.flush()
        sys.stderr.write(f"pry: {e}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("pry: interrupted\n")
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
