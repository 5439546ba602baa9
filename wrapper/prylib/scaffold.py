"""./pry new NAME: a new harness folder with a property that passes, so the
first `./pry fuzz NAME` works at once and the user only edits the body."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from .common import EXIT_OK, NAME_RE, SELFTEST, Project, PryError

IN_TREE_HINT = """\
 * name its library in harnesses/{name}/harness.mk, a library of this kit
 * under targets/<t>/ with {name}_TARGETS := <t>, a system library with
 * {name}_LDLIBS := -l<lib> (docs/building.md)."""

OUT_OF_TREE_HINT = """\
 * add its .c files to {name}_SRC in {name}.mk (compiled there, they are
 * instrumented in every fuzzing build)."""

HARNESS_C = """\
/*
 * {name}: property tests for your code. Build and fuzz with
 *
 *     {cmd} fuzz {name}                 (AFL++, until the first failure)
 *     {cmd} fuzz {name} --engine random --time 10
 *
 * Each PRY_PROPERTY is one test; {manual} is the manual.
 */
#include "pry.h"

#include <string.h>

/* Replace this with your own code under test: #include its header and
{code_hint} */
static size_t run_length_encode(const uint8_t *in, size_t n, uint8_t *out)
{{
    size_t o = 0;
    for (size_t i = 0; i < n;) {{
        size_t run = 1;
        while (i + run < n && run < 255 && in[i + run] == in[i])
            run++;
        out[o++] = (uint8_t)run;
        out[o++] = in[i];
        i += run;
    }}
    return o;
}}

static size_t run_length_decode(const uint8_t *in, size_t n, uint8_t *out)
{{
    size_t o = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        for (uint8_t k = 0; k < in[i]; k++)
            out[o++] = in[i + 1];
    return o;
}}

/* The property: decoding what was encoded gives back the input. */
PRY_PROPERTY(roundtrip)
{{
    pry_bytes_t s = pry_bytes(p, "s", 64);          /* draw typed values ... */
    uint8_t *enc = pry_alloc(p, 2 * s.len + 1);     /* (freed after the run) */
    uint8_t *dec = pry_alloc(p, s.len + 1);
    size_t n = run_length_decode(enc, run_length_encode(s.data, s.len, enc), dec);
    pry_check_eq_mem(p, dec, n, s.data, s.len);     /* ... and check */
}}
"""

README = """\
# {name}

Property tests for ... (say what code this harness checks).

    ./pry fuzz {name}                      # AFL++ until the first failure
    ./pry fuzz {name}/roundtrip --time 60  # one property, one minute

Seeds live in `corpora/{name}/seeds/`. Counterexamples that pry finds are
saved under `pry-out/{name}/<property>/findings/`; `./pry keep FILE` makes
one a regression in `corpora/{name}/<property>/regressions/`, which
`make test` replays once committed.
"""


# --lib SRC: the library under test, built from its source tree in every
# variant by mk/extlib.sh (docs/building.md, "Libraries built from source").
HARNESS_MK = """\
# harnesses/{name}: {lib} is built from {src} through its own build system,
# once per variant with that variant's compiler and flags, into
# build/<variant>/ext/{lib}/ (mk/extlib.sh; docs/building.md).
{name}_TARGETS :=
{name}_EXTLIBS := {lib}
EXT_{lib}_SRC := {src}
# If the build installs its archive under another name (the error says which
# it has), name it; likewise extra configure/cmake/meson words, or a system:
# EXT_{lib}_ARCHIVES := lib{lib}.a
# EXT_{lib}_ARGS :=
# EXT_{lib}_BUILD := autotools|autoreconf|cmake|meson|make
"""

# A library another harness already declares: the new harness links the
# same builds rather than declaring it twice.
HARNESS_MK_SHARED = """\
# harnesses/{name}: links {lib}, built from source as declared in
# {where} (mk/extlib.sh; docs/building.md).
{name}_TARGETS :=
{name}_EXTLIBS := {lib}
"""

# Debian policy 5.6.1: package names are [a-z0-9][a-z0-9+.-]+.
DEB_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


def lib_source(project: Project, src: str) -> tuple[str, str]:
    """(library name, source as harness.mk writes it) for --lib SRC."""
    if src.startswith("deb:"):
        pkg = src[4:]
        if not DEB_RE.match(pkg):
            raise PryError(f"'{pkg}' is not a Debian package name (--lib deb:PACKAGE, e.g. deb:jansson)")
        base = pkg
    else:
        path = Path(src).expanduser().resolve()
        if not path.is_dir():
            raise PryError(f"--lib {src}: no such folder (give a source tree, or deb:PACKAGE)")
        # Inside the checkout the path is kept relative, so it travels with it.
        try:
            src = str(path.relative_to(project.root.resolve()))
        except ValueError:
            src = str(path)
        base = path.name
    # A make-safe name; lib<name>.a is the archive it is expected to install.
    lib = re.sub(r"[^a-z0-9_]", "_", base.lower())
    lib = re.sub(r"^lib(?=.)", "", lib)
    if not lib[0].isalpha():
        lib = "lib_" + lib
    return lib, src


def declared(project: Project, lib: str) -> Optional[tuple[Path, str]]:
    """The harness.mk that declares EXT_<lib>_SRC already, and its value."""
    pat = re.compile(rf"^EXT_{lib}_SRC\s*:?=\s*(.*?)\s*$", re.M)
    for mk in sorted(project.root.glob("*/harnesses/*/harness.mk")) + \
            sorted(project.root.glob("harnesses/*/harness.mk")):
        m = pat.search(mk.read_text(errors="replace"))
        if m:
            return mk, m.group(1)
    return None


def scaffold(project: Project, name: str, lib_src: Optional[str] = None) -> int:
    if not NAME_RE.match(name):
        raise PryError(f"'{name}' is not a harness name: use [a-z][a-z0-9_]*")
    from .external import ExternalProject
    if isinstance(project, ExternalProject):
        return scaffold_external(project, name, lib_src)
    if name == SELFTEST or project.harness_dir(name) is not None:
        raise PryError(f"harness '{name}' already exists")
    lib = src = None
    if lib_src is not None:
        lib, src = lib_source(project, lib_src)
        where = declared(project, lib)
        if where is not None and where[1] != src:
            raise PryError(f"a library '{lib}' is already built from {where[1]} "
                           f"({project.rel(where[0])}); use that source or another folder name")
    hdir = project.root / "harnesses" / name
    seeds = project.root / "corpora" / name / "seeds"
    hdir.mkdir(parents=True)
    (hdir / f"{name}.c").write_text(HARNESS_C.format(
        name=name, cmd="./pry", manual="generators/pry.h",
        code_hint=IN_TREE_HINT.format(name=name)))
    (hdir / "README.md").write_text(README.format(name=name))
    seeds.mkdir(parents=True, exist_ok=True)
    # A two-byte string "a": more? = 1, byte 'a', more? = 0.
    (seeds / "short-string").write_bytes(b"\x01a\x00")
    rel = project.rel
    created = [hdir / (name + ".c"), hdir / "README.md", seeds / "short-string"]
    if lib is not None:
        where = declared(project, lib)
        if where is None:
            mk = HARNESS_MK.format(name=name, lib=lib, src=src)
        else:
            mk = HARNESS_MK_SHARED.format(name=name, lib=lib, where=rel(where[0]))
        (hdir / "harness.mk").write_text(mk)
        created.append(hdir / "harness.mk")
    print("created " + ", ".join(rel(f) for f in created))
    if lib is not None:
        print(f"{lib} is built from {src} on the first build, in each variant: "
              f"build/<variant>/ext/{lib}/ (include/ is on the harness's include path)")
    print(f"next: edit {rel(hdir / (name + '.c'))}, then ./pry fuzz {name}")
    return EXIT_OK


# ---- out of pry's checkout: the installed `pry new NAME` ----
# A project of the user's has no mk/build.mk: the harness gets a makefile
# of its own, building each variant against the installed kit with the
# installed pry.mk (as examples/outoftree/Makefile does), and a pry.toml
# entry that runs it. Its own file, so an existing Makefile is left alone.
EXTERNAL_MK = """\
# {name}.mk: builds the {name} harness in each variant pry asks for
# (written by `pry new {name}`; pry.toml runs `make -f {name}.mk BINARY`).
# Add the code under test to {name}_SRC: compiled here, it is instrumented
# in every fuzzing build. A library linked prebuilt ({name}_LIBS := -lfoo)
# is not, and the fuzzers see none of its code.
{name}_SRC := {name}.c
{name}_LIBS :=
CFLAGS ?= -O2 -g -Wall -Wextra

# Under `pry`, PRY_PREFIX is where that pry is installed; its pry.mk says
# what each variant's compiler and pkg-config module are.
PREFIX ?= $(or $(PRY_PREFIX),/usr/local)
ifeq ($(wildcard $(PREFIX)/share/pry/pry.mk),)
  $(error no pry installed under $(PREFIX) ($(PREFIX)/share/pry/pry.mk): install it (make install PREFIX=...) and set PREFIX)
endif
include $(PREFIX)/share/pry/pry.mk

build/%/{name}: $({name}_SRC) $(wildcard *.h)
\t$(call pry_check,$*)
\t@mkdir -p $(@D)
\t$(call pry_cc,$*) -std=c11 $(CFLAGS) $(call pry_cflags,$*) $({name}_SRC) $({name}_LIBS) $(call pry_libs,$*) -o $@
"""

EXTERNAL_TOML = """\
[harness.{name}]
binary = "build/{{variant}}/{name}"
build = "make -f {name}.mk {{binary}}"
"""


def scaffold_external(project: Project, name: str, lib_src: Optional[str]) -> int:
    """`pry new NAME` in a project of the user's: NAME.c (the same passing
    property), NAME.mk, a [harness.NAME] entry in pry.toml (created if
    there is none), and the seed; then `pry fuzz NAME` works at once."""
    from .external import PROJECT_FILE
    if lib_src is not None:
        raise PryError("--lib builds a library from source with pry's own build rules, which "
                       f"a project of your own does not have: add its .c files to {name}_SRC "
                       f"in {name}.mk instead")
    root = project.root
    toml = root / PROJECT_FILE
    text = toml.read_text() if toml.is_file() else ""
    if re.search(rf"^\s*\[harness\.{re.escape(name)}\]", text, re.M):
        raise PryError(f"harness '{name}' already exists ({PROJECT_FILE})")
    files = [root / f"{name}.c", root / f"{name}.mk"]
    clash = [f for f in files if f.exists()]
    if clash:
        raise PryError(f"{', '.join(project.rel(f) for f in clash)} already exist(s): "
                       "pick another name or move it")
    files[0].write_text(HARNESS_C.format(name=name, cmd="pry", manual="pry.h",
                                         code_hint=OUT_OF_TREE_HINT.format(name=name)))
    files[1].write_text(EXTERNAL_MK.format(name=name))
    sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    toml.write_text(text + sep + EXTERNAL_TOML.format(name=name))
    seeds = root / "corpora" / name / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / "short-string").write_bytes(b"\x01a\x00")  # "a", as in the checkout
    print("created " + ", ".join(project.rel(f) for f in [*files, seeds / "short-string"])
          + (f", {PROJECT_FILE} [harness.{name}]" if text else f", {PROJECT_FILE}"))
    print(f"next: edit {name}.c (your code under test goes in {name}_SRC in {name}.mk), "
          f"then pry fuzz {name}")
    return EXIT_OK
