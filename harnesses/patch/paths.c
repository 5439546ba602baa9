/*
 * paths.c: whatever names a diff carries and whatever -p level is asked
 * for, a name that patch accepts stays under the working directory: not
 * absolute, and never more ".." than directories entered before them.
 */
#include "patch_gen.h"

#include <stdlib.h>
#include <string.h>

PRY_PROPERTY(no_escape)
{
    static const char *const parts[] = {"a", "..", ".", "", "b.txt"};
    char *name = pry_bool(p, "absolute") ? pry_strdup(p, "/") : pry_strdup(p, "");
    pry_list_t l = pry_list(p, "components", 6);
    while (pry_list_more(p, &l))
        name = pry_sprintf(p, "%s%s%s", name, l.count > 1 ? "/" : "",
                           parts[pry_choice_named(p, NULL, 5, parts)]);
    long strip = (long)pry_range_i(p, "strip", 0, 3);
    pry_note(p, "name = \"%s\", -p%ld", name, strip);

    char *out = NULL;
    if (patch_path_strip(name, strip, &out) != PATCH_OK)
        return;
    char *path = pry_strdup(p, out);
    patch_bytes_free(out);
    pry_check(p, path[0] != '/', "\"%s\" -p%ld gives the absolute path \"%s\"",
              name, strip, path);
    long depth = 0;
    for (char *c = strtok(path, "/"); c != NULL; c = strtok(NULL, "/")) {
        if (strcmp(c, "..") == 0)
            depth--;
        else if (strcmp(c, ".") != 0)
            depth++;
        pry_check(p, depth >= 0, "\"%s\" -p%ld climbs out of the working "
                  "directory", name, strip);
    }
}
