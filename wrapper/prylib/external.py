"""The installed `pry` in a project of the user's (not a checkout of pry).

There is no mk/build.mk to build harnesses with, so the project says what
its harnesses are in a file at its root, pry.toml (docs/wrapper.md):

    [harness.rle_props]
    binary = "build/{variant}/rle_props"    # where each build is
    build = "make {binary}"                 # how to (re)build one (default)

{variant} is one of plain, asan, afl, afl-cmplog, libfuzzer, cov, and for
--mutator typed mutator (a shared object AFL++ loads) and libfuzzer-typed
(each linked against the installed libpry of that variant: BUILD_WITH
below); a key named after a variant gives that build's path instead of
the pattern. The harness's name is the name the binary gives its
properties (`BINARY --list`: NAME/property), so records saved by one
build replay on the others.

A harness binary can also be named by its path (`pry list ./rle_props`,
`pry fuzz ./rle_props --engine random`): then that build is the only one."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Optional

from .common import Project, PryError, Target, run, run_quiet

PROJECT_FILE = "pry.toml"
VARIANTS = ("plain", "asan", "afl", "afl-cmplog", "libfuzzer", "cov", "mutator", "libfuzzer-typed")
# What a project's build of each variant compiles with: the pkg-config
# module (make install) and the compiler, for the error that says a build
# is missing (examples/outoftree/Makefile builds them all).
BUILD_WITH = {"plain": ("pry", "cc"), "asan": ("pry-asan", "clang"),
              "afl": ("pry-afl", "afl-clang-fast"),
              "afl-cmplog": ("pry-afl", "AFL_LLVM_CMPLOG=1 afl-clang-fast"),
              "libfuzzer": ("pry-libfuzzer", "clang"), "cov": ("pry-cov", "clang"),
              "mutator": ("pry-mutator", "clang"),
              "libfuzzer-typed": ("pry-libfuzzer-typed", "clang")}
ENGINE_OF = {"plain": "random", "asan": "random", "afl": "afl", "libfuzzer": "libfuzzer",
             "libfuzzer-typed": "libfuzzer --mutator typed",
             "mutator": "afl --mutator typed (beside the afl build)"}


def recipe(variant: str) -> str:
    """How a project's Makefile builds |variant| (an older one lacks
    --mutator typed's builds): what the error that it is missing says."""
    module, compiler = BUILD_WITH[variant]
    shared = " into a shared object (AFL++ loads it)" if variant == "mutator" else ""
    return (f"compile the harness's sources with {compiler} and `pkg-config --cflags --libs "
            f"{module}`{shared}, as pry's examples/outoftree/Makefile does through the "
            f"installed share/pry/pry.mk ($(call pry_cc,{variant}) ...)")


def find_root(start: Path) -> Path:
    """The folder holding pry.toml, from |start| upwards; else |start|."""
    for d in [start, *start.parents]:
        if (d / PROJECT_FILE).is_file():
            return d
    return start


def binary_kind(path: Path) -> str:
    """Which build a harness binary is, from what was linked into it."""
    from .engines.afl import is_afl_build
    data = path.read_bytes()
    if b"afl_custom_fuzz" in data:  # afl_mutator.c: the shared object AFL++ loads
        return "mutator"
    if is_afl_build(data):
        return "afl-cmplog" if b"__cmplog_" in data else "afl"
    if b"LLVMFuzzerRunDriver" in data:
        # the typed mutator's names of its mutations (mutate.c), data that
        # stripping keeps; only the libfuzzer-typed build links mutate.o
        return "libfuzzer-typed" if b"list-duplicate" in data else "libfuzzer"
    if b"--repro" not in data:
        raise PryError(f"{path} is not a pry harness binary (no pry runner, AFL++ or libFuzzer "
                       f"build in it)")
    if b"__llvm_profile_runtime" in data:
        return "cov"
    return "asan" if b"__asan_init" in data else "plain"


def build_env() -> dict[str, str]:
    """The environment of pry.toml's build commands: PRY_PREFIX is where
    this pry is installed ($PREFIX/share/pry/wrapper/prylib/external.py),
    and its pkg-config modules come first on PKG_CONFIG_PATH."""
    env = dict(os.environ)
    prefix = Path(__file__).resolve().parents[4]
    pc = prefix / "lib" / "pkgconfig"
    if (pc / "pry.pc").is_file():
        env["PRY_PREFIX"] = str(prefix)
        env["PKG_CONFIG_PATH"] = str(pc) + (":" + env["PKG_CONFIG_PATH"]
                                            if env.get("PKG_CONFIG_PATH") else "")
    return env


class ExternalProject(Project):
    """A user's project: harnesses from pry.toml or named by path."""

    command = "pry"  # the installed command, on PATH (there is no ./pry here)

    def __init__(self, root: Path):
        super().__init__(root)
        self.specs: dict[str, dict[str, object]] = {}
        self.checked: set[str] = set()
        f = root / PROJECT_FILE
        if f.is_file():
            self._load(f)

    def _load(self, f: Path) -> None:
        import tomllib
        try:
            data = tomllib.loads(f.read_text())
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise PryError(f"{f}: not valid TOML ({e})") from None
        harnesses = data.get("harness")
        if not isinstance(harnesses, dict) or not harnesses:
            raise PryError(f"{f}: no [harness.NAME] table (see docs/wrapper.md)")
        for name, spec in harnesses.items():
            if not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", name) or not isinstance(spec, dict):
                raise PryError(f"{f}: [harness.{name}] is not a harness table")
            unknown = set(spec) - set(VARIANTS) - {"binary", "build"}
            if unknown:
                raise PryError(f"{f}: [harness.{name}]: unknown key(s) {', '.join(sorted(unknown))}; "
                               f"known: binary, build, {', '.join(VARIANTS)}")
            if "binary" not in spec and not set(spec) & set(VARIANTS):
                raise PryError(f"{f}: [harness.{name}] names no binary "
                               f"(binary = \"build/{{variant}}/{name}\")")
            self.specs[name] = dict(spec, build=spec.get("build", "make {binary}"))

    # ---- the harnesses ----
    def shipped_harnesses(self) -> list[str]:
        return sorted(self.specs)

    def harness_dir(self, harness: str) -> Optional[Path]:
        return self.root if harness in self.specs else None

    def parse_target(self, text: str) -> Target:
        path = Path(text)
        if text.split("/")[0] not in self.specs and path.is_file():
            return Target(self.adopt(path), None)
        if text.split("/")[0] not in self.specs:
            known = " ".join(self.shipped_harnesses()) or "(none: no pry.toml here)"
            raise PryError(f"unknown harness '{text.split('/')[0]}'; known: {known} "
                           f"(or give a harness binary's path)")
        parts = text.split("/")
        if len(parts) > 2:
            raise PryError(f"'{text}' is not a target: write HARNESS or HARNESS/PROPERTY")
        return Target(parts[0], parts[1] if len(parts) == 2 else None)

    def adopt(self, path: Path) -> str:
        """A binary named by path: its one build, under the name it gives
        its properties (or its file name, for the engines' builds)."""
        kind = binary_kind(path)
        name = path.name
        if kind in ("plain", "asan", "cov"):
            name = self._runner_name(path) or name
        if name in self.specs and not self.specs[name].get("adopted"):
            # pry.toml knows it: this binary is its build of that variant
            self.specs[name] = dict(self.specs[name], **{kind: str(path.resolve())})
        else:
            self.specs[name] = {kind: str(path.resolve()), "build": None, "adopted": True}
        return name

    def _runner_name(self, path: Path) -> Optional[str]:
        r = run_quiet([str(path.resolve()), "--list"], self.root, timeout=60)
        first = r.stdout.decode(errors="replace").split("\n", 1)[0]
        return first.split("/", 1)[0] if r.returncode == 0 and "/" in first else None

    # ---- builds ----
    def binary(self, variant: str, plant: Optional[str], harness: str) -> Path:
        spec = self.specs.get(harness, {})
        given = spec.get(variant) or spec.get("binary")
        if given is None:
            return self.root / "build" / variant / harness
        return self.root / str(given).format(variant=variant, harness=harness)

    def external_build(self, variant: str, harness: str, plant: Optional[str]) -> Path:
        """build.build() for this project: run pry.toml's build command."""
        if plant:
            raise PryError("--plant switches on planted bugs of pry's own targets; "
                           "this project has none")
        spec = self.specs.get(harness)
        if spec is None:
            raise PryError(f"unknown harness '{harness}'")
        if variant not in spec and "binary" not in spec:
            have = [v for v in VARIANTS if v in spec]
            if spec.get("adopted") and variant in ("plain", "asan"):
                hint = (f"pry needs its plain build as well, to replay and report findings: "
                        f"name its builds in pry.toml ([harness.{harness}] binary = ...)")
            elif spec.get("adopted"):
                hint = f"a {have[0]} build fuzzes with --engine {ENGINE_OF.get(have[0], 'random')}"
            else:
                hint = f"name it in pry.toml ([harness.{harness}] {variant} = ...)"
            raise PryError(f"harness {harness} has no {variant} build ({', '.join(have)} "
                           f"only): {hint}")
        binary = self.binary(variant, plant, harness)
        command = spec.get("build")
        if command:
            cmd = str(command).format(variant=variant, harness=harness,
                                      binary=self.rel(binary))
            r = run(cmd, shell=True, cwd=str(self.root), capture_output=True,
                    env=build_env())
            if r.returncode != 0:
                sys.stderr.write(r.stdout.decode(errors="replace")
                                 + r.stderr.decode(errors="replace"))
                raise PryError(f"building {variant} of {harness} failed: `{cmd}` "
                               f"(its output is above); if the project has no {variant} build "
                               f"yet: {recipe(variant)}")
        if not binary.is_file():
            raise PryError(f"{self.rel(binary)} does not exist (the {variant} build of "
                           f"{harness}; see pry.toml); to add it to the project's build: "
                           f"{recipe(variant)}")
        if variant == "plain" and harness not in self.checked:
            said = self._runner_name(binary)
            if said is not None and said != harness:
                raise PryError(f"pry.toml names harness '{harness}', but {self.rel(binary)} "
                               f"calls it '{said}' (its file name): name it [harness.{said}]")
            self.checked.add(harness)
        return binary
