# harnesses/jansson: properties over jansson (a JSON library nobody here
# wrote), built from Debian's source package in the harness's variant by
# mk/extlib.sh: build/<variant>/ext/jansson/. `EXTLIB=system` links
# Debian's binary libjansson instead (libjansson-dev; no instrumentation),
# into build/<variant>+system-libs/jansson, for comparisons.
jansson_TARGETS :=
jansson_EXTLIBS := jansson
EXT_jansson_SRC := deb:jansson
# Its CMake build (it also has configure.ac; CMake needs no autoreconf).
# Only the library: no examples, tests or docs.
EXT_jansson_ARGS := -DJANSSON_EXAMPLES=OFF -DJANSSON_WITHOUT_TESTS=ON -DJANSSON_BUILD_DOCS=OFF
