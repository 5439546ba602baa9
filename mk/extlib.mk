# mk/extlib.mk: libraries that pry did not write, built from source in the
# harness's variant (included by mk/build.mk; docs/building.md). A
# harness.mk names them:
#
#     <h>_EXTLIBS := jansson                 libraries harness <h> links
#     EXT_jansson_SRC := deb:jansson         deb:PACKAGE, or a folder
#     EXT_jansson_BUILD := cmake             optional: autotools, autoreconf,
#                                            cmake, meson, make (else detected)
#     EXT_jansson_ARGS := -DJANSSON_...=OFF  optional: extra configure words
#     EXT_jansson_ARCHIVES := libjansson.a   optional: default lib<name>.a
#     EXT_jansson_LDLIBS := -lpthread        optional: what the archives need
#     EXT_jansson_SYSTEM := -ljansson        optional: link flags for EXTLIB=system
#
# Each library is built by mk/extlib.sh into build/<variant>/ext/<name>/
# (lib/, include/, build/, build.log), once per variant and again when its
# source changes. EXTLIB=system links the system's binary package instead
# (uninstrumented; for comparisons), into build/<variant>+system-libs/.

EXTLIB ?= source
ifeq ($(filter source system,$(EXTLIB)),)
  $(error unknown EXTLIB '$(EXTLIB)': source (build from source) or system)
endif

ext_dir = build/$(VARIANT)/ext/$(1)
ext_archives = $(if $(EXT_$(1)_ARCHIVES),$(EXT_$(1)_ARCHIVES),lib$(1).a)
ext_paths = $(addprefix $(call ext_dir,$(1))/lib/,$(call ext_archives,$(1)))

ifeq ($(EXTLIB),system)
define ext_harness
$(1)_EXTCFLAGS :=
$(1)_EXTDEPS :=
$(1)_EXTLINK := $(foreach n,$($(1)_EXTLIBS),$(if $(EXT_$(n)_SYSTEM),$(EXT_$(n)_SYSTEM),-l$(n)) $(EXT_$(n)_LDLIBS))
endef
else
define ext_harness
$(1)_EXTCFLAGS := $(foreach n,$($(1)_EXTLIBS),-isystem $(call ext_dir,$(n))/include)
$(1)_EXTDEPS := $(foreach n,$($(1)_EXTLIBS),$(call ext_paths,$(n)))
$(1)_EXTLINK := $(foreach n,$($(1)_EXTLIBS),$(call ext_paths,$(n)) $(EXT_$(n)_LDLIBS))
endef
endif

# The script decides whether anything changed (it hashes the source tree),
# so it runs on every make; it leaves the archives' mtimes alone when
# nothing did, and then nothing relinks. Under make -q (./pry asking
# whether a build has work, to say "building ...") an archive that exists
# counts as up to date: with FORCE every answer would be yes.
ext_force := $(if $(findstring q,$(firstword -$(MAKEFLAGS))),,FORCE)
define ext_rules
$(if $(EXT_$(1)_SRC),,$(error EXT_$(1)_SRC is not set: where is $(1)'s source? deb:PACKAGE or a folder))
$(call ext_paths,$(1)) &: $(ext_force)
	@EXT_VARIANT='$(VARIANT)' EXT_CC='$(VCC)' EXT_CFLAGS='$(VFLAGS)' \
	 EXT_BUILD='$(EXT_$(1)_BUILD)' EXT_ARGS='$(EXT_$(1)_ARGS)' \
	 bash mk/extlib.sh build $(1) '$(EXT_$(1)_SRC)' $(call ext_dir,$(1)) $(call ext_archives,$(1))
endef

EXT_HARNESSES := $(foreach d,$(HARNESS_DIRS),$(if $($(notdir $(d))_EXTLIBS),$(notdir $(d))))
$(foreach h,$(EXT_HARNESSES),$(eval $(call ext_harness,$(h))))
ifeq ($(EXTLIB),source)
  $(foreach n,$(sort $(foreach h,$(EXT_HARNESSES),$($(h)_EXTLIBS))),$(eval $(call ext_rules,$(n))))
endif
.PHONY: FORCE
FORCE:
