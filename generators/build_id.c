/*
 * build_id.c: what this binary is, so a saved record can say which build
 * found it. mk/build.mk compiles it once per build folder
 * (build/<variant>[+<plants>]/build_id.o) with PRY_BUILD_VARIANT and
 * PRY_BUILD_PLANTS set, and links it beside libpry.a: the library itself
 * is built once per variant and shared by every planted build, and these
 * strong definitions replace its weak defaults (generators/registry.c).
 */
#include "pry_internal.h"

#ifndef PRY_BUILD_VARIANT
#define PRY_BUILD_VARIANT "unknown"
#endif
#ifndef PRY_BUILD_PLANTS
#define PRY_BUILD_PLANTS ""
#endif

const char *pry_build_variant(void)
{
    return PRY_BUILD_VARIANT;
}

const char *pry_build_plants(void)
{
    return PRY_BUILD_PLANTS;
}
