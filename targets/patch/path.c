/*
 * path.c: -pN stripping and the "stays under the working directory" check.
 *
 * GNU patch strips N leading components, counting a run of slashes as one
 * separator (so "a//b" -p1 is "b"), and refuses names that are absolute or
 * contain "..": CVE-2010-4651 (patch followed "../" in file names) and
 * CVE-2015-1395 (the same through git rename headers) are why. The check
 * must look at the name *after* stripping: stripping "d/" from "d/../x"
 * leaves "../x".
 *
 * We refuse: an empty result, a leading '/', and any ".." that climbs above
 * the starting directory ("a/../b" stays inside and is allowed; GNU patch
 * refuses every ".." component, see README).
 */
#include "patch_internal.h"

#include <stdlib.h>
#include <string.h>

int patch_path_check(const char *path)
{
    long depth = 0;
    const char *p = path;
    if (path == NULL || path[0] == '\0' || path[0] == '/')
        return PATCH_ERR_PATH;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return PATCH_ERR_PATH;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        while (*p == '/')
            p++;
    }
    /* A name that resolves to the directory itself is no file. */
    return depth > 0 ? PATCH_OK : PATCH_ERR_PATH;
}

/* Skip `strip` components; NULL if the name has too few. */
static const char *skip_components(const char *name, long strip)
{
    const char *p = name;
    while (strip > 0) {
        const char *s = strchr(p, '/');
        if (s == NULL)
            return NULL;
        while (*s == '/')
            s++;
        p = s;
        strip--;
    }
    return *p ? p : NULL;
}

int patch_path_strip(const char *name, long strip, char **out)
{
    const char *rest;
    int rc;
    if (out == NULL)
        return PATCH_ERR_INVAL;
    *out = NULL;
    if (name == NULL || name[0] == '\0' || strip < 0)
        return PATCH_ERR_INVAL;
#ifdef PRY_PLANT_STRIP_ESCAPE
    /* checked before stripping: "d/../x" passes, then becomes "../x" */
    if ((rc = patch_path_check(name)) != PATCH_OK)
        return rc;
    if ((rest = skip_components(name, strip)) == NULL)
        return PATCH_ERR_STRIP;
#else
    if ((rest = skip_components(name, strip)) == NULL)
        return PATCH_ERR_STRIP;
    if ((rc = patch_path_check(rest)) != PATCH_OK)
        return rc;
#endif
    size_t n = strlen(rest);
    char *s = malloc(n + 1);
    if (s == NULL)
        return PATCH_ERR_NOMEM;
    memcpy(s, rest, n + 1);
    *out = s;
    return PATCH_OK;
}
