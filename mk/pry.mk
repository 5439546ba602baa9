# pry.mk: the build variants of a project that uses an installed pry.
# `make install` puts it in PREFIX/share/pry/; a project's Makefile sets
# PREFIX and includes it (examples/outoftree/Makefile, and the NAME.mk
# that `pry new NAME` writes out of pry's checkout):
#
#   PREFIX ?= $(or $(PRY_PREFIX),/usr/local)
#   include $(PREFIX)/share/pry/pry.mk
#   build/%/myprops: myprops.c mylib.c
#   	$(call pry_check,$*)
#   	@mkdir -p $(@D)
#   	$(call pry_cc,$*) -std=c11 $(CFLAGS) $(call pry_cflags,$*) myprops.c mylib.c $(call pry_libs,$*) -o $@
#
# One list here, so a project's Makefile need not change when pry gains a
# variant: pry.toml's {variant} is one of PRY_VARIANTS, and each is a
# pkg-config module of this installation and the compiler it wants
# (docs/building.md, "Using pry from another project").

PRY_VARIANTS := plain asan libfuzzer afl afl-cmplog cov mutator libfuzzer-typed

pry_module_plain := pry
pry_module_asan := pry-asan
pry_module_libfuzzer := pry-libfuzzer
pry_module_afl := pry-afl
pry_module_afl-cmplog := pry-afl
pry_module_cov := pry-cov
pry_module_mutator := pry-mutator
pry_module_libfuzzer-typed := pry-libfuzzer-typed

# Deferred (=): the plain build takes the project's own $(CC).
pry_cc_plain = $(CC)
pry_cc_asan := clang
pry_cc_libfuzzer := clang
pry_cc_afl := afl-clang-fast
pry_cc_afl-cmplog := AFL_LLVM_CMPLOG=1 afl-clang-fast
pry_cc_cov := clang
pry_cc_mutator := clang
pry_cc_libfuzzer-typed := clang

# PKG_CONFIG_PATH is given on pkg-config's own command line: GNU make 4.3
# (Debian 12) does not pass `export`ed variables to $(shell ...).
PRY_PKG_CONFIG := PKG_CONFIG_PATH=$(PREFIX)/lib/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH)) pkg-config
pry_pkg = $(shell $(PRY_PKG_CONFIG) $(1) $(2) 2>/dev/null)

pry_cc = $(pry_cc_$(1))
pry_cflags = $(call pry_pkg,--cflags,$(pry_module_$(1)))
pry_libs = $(call pry_pkg,--libs,$(pry_module_$(1)))

# A variant this file does not know, or a module this installation lacks
# (an older pry), stops make saying why: with an empty compiler the
# compile line would begin with '-', a line whose failure make ignores.
pry_check = $(if $(pry_module_$(1)),,$(error no build variant '$(1)': $(PRY_VARIANTS)))$(if \
    $(call pry_libs,$(1)),,$(error pkg-config cannot find $(pry_module_$(1)) under $(PREFIX): \
    install pry there (make install PREFIX=...)))
