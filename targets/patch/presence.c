/*
 * presence.c: does each side of a file patch exist? GNU patch 2.7.6's
 * rules for creating and removing files, and the header timestamps they
 * read.
 *
 * GNU patch keeps one verdict per side, p_says_nonexistent[2] (src/pch.c,
 * intuit_diff_type): 0 the file exists, 1 it exists and is probably empty,
 * 2 it does not exist. It is set, in this order:
 *   1. git "new file mode" makes the old side 2, "deleted file mode" the
 *      new side 2 (pch.c, the "new file mode " / "deleted file mode "
 *      branches);
 *   2. a git "index A..B" line sets both sides from the hashes: all zeros
 *      is 2, the empty blob e69de29... (or a prefix of it) is 1, anything
 *      else 0 (sha1_says_nonexistent); git writes it after the mode lines,
 *      so it has the last word;
 *   3. at the first "@@ -", a side whose range starts at line 0 becomes
 *      1 + (its timestamp is the epoch): "@@ -0,0" with an epoch or
 *      /dev/null name is 2, with any other timestamp, or none, 1. Only the
 *      first hunk counts; the search stops there.
 * "The epoch" is wider than it looks (util.c, fetchname): "/dev/null" sets
 * the time to 0, and any timestamp that get_date reads as a time strictly
 * between 25 hours before and 26 hours after 1970-01-01 00:00:00 UTC is
 * taken as 0, "because the listed time is local time, not UTC, and POSIX
 * allows local time offsets anywhere in the range -25:00 < offset <
 * +26:00". A timestamp that does not parse counts as no timestamp.
 */
#include "patch_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Parser over the stamp text. */
typedef struct sp {
    const char *p;
} sp;

static void skip_space(sp *s)
{
    while (isspace((unsigned char)*s->p))
        s->p++;
}

/* Up to |max| decimal digits; the number of digits read (0: none). */
static int digits(sp *s, int max, long *out)
{
    int n = 0;
    long v = 0;
    while (n < max && isdigit((unsigned char)s->p[n]))
        v = v * 10 + (s->p[n++] - '0');
    s->p += n;
    *out = v;
    return isdigit((unsigned char)*s->p) ? 0 : n; /* too many digits */
}

/* A word of letters matching |w| in full or in its first three letters,
 * case-insensitive (parse-datetime.y, lookup_word: "Jan", "January"). */
static int word(sp *s, const char *w)
{
    size_t n = 0;
    while (isalpha((unsigned char)s->p[n]))
        n++;
    size_t wl = strlen(w);
    if ((n == 3 || n == wl) && n <= wl && strncasecmp(s->p, w, n) == 0) {
        s->p += n;
        return 1;
    }
    return 0;
}

static const char *const months[12] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"};
static const char *const wdays[7] = {
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday"};

static int month_name(sp *s, long *mon)
{
    for (int i = 0; i < 12; i++)
        if (word(s, months[i])) {
            *mon = i + 1;
            return 1;
        }
    return 0;
}

/* Zone names and their offsets east of UTC in minutes, from gnulib's
 * parse-datetime.y as shipped with patch 2.7.6 (universal_time_zone_table,
 * time_zone_table, military_table; "dst" entries are tDAYZONE: one hour
 * more). The military letters keep gnulib's signs (RFC 822's, inverted). */
static const struct zone_name {
    const char *name;
    short minutes;
    char dst;
} zone_names[] = {
    {"GMT", 0, 0}, {"UT", 0, 0}, {"UTC", 0, 0},
    {"WET", 0, 0}, {"WEST", 0, 1}, {"BST", 0, 1}, {"ART", -180, 0},
    {"BRT", -180, 0}, {"BRST", -180, 1}, {"NST", -210, 0}, {"NDT", -210, 1},
    {"AST", -240, 0}, {"ADT", -240, 1}, {"CLT", -240, 0}, {"CLST", -240, 1},
    {"EST", -300, 0}, {"EDT", -300, 1}, {"CST", -360, 0}, {"CDT", -360, 1},
    {"MST", -420, 0}, {"MDT", -420, 1}, {"PST", -480, 0}, {"PDT", -480, 1},
    {"AKST", -540, 0}, {"AKDT", -540, 1}, {"HST", -600, 0}, {"HAST", -600, 0},
    {"HADT", -600, 1}, {"SST", -720, 0}, {"WAT", 60, 0}, {"CET", 60, 0},
    {"CEST", 60, 1}, {"MET", 60, 0}, {"MEZ", 60, 0}, {"MEST", 60, 1},
    {"MESZ", 60, 1}, {"EET", 120, 0}, {"EEST", 120, 1}, {"CAT", 120, 0},
    {"SAST", 120, 0}, {"EAT", 180, 0}, {"MSK", 180, 0}, {"MSD", 180, 1},
    {"IST", 330, 0}, {"SGT", 480, 0}, {"KST", 540, 0}, {"JST", 540, 0},
    {"GST", 600, 0}, {"NZST", 720, 0}, {"NZDT", 720, 1},
    {"A", -60, 0}, {"B", -120, 0}, {"C", -180, 0}, {"D", -240, 0},
    {"E", -300, 0}, {"F", -360, 0}, {"G", -420, 0}, {"H", -480, 0},
    {"I", -540, 0}, {"K", -600, 0}, {"L", -660, 0}, {"M", -720, 0},
    {"N", 60, 0}, {"O", 120, 0}, {"P", 180, 0}, {"Q", 240, 0},
    {"R", 300, 0}, {"S", 360, 0}, {"U", 480, 0}, {"V", 540, 0},
    {"W", 600, 0}, {"X", 660, 0}, {"Y", 720, 0}, {"Z", 0, 0},
};

/* A time zone: "+HH", "+HHMM", "+HH:MM" (parse-datetime.y,
 * time_zone_hhmm: one or two digits are hours; at most 24:00 either way)
 * or a name from the table. 1 and *minutes east of UTC, or 0. */
static int zone(sp *s, long *minutes)
{
    const char *p = s->p;
    if (*p == '+' || *p == '-') {
        int neg = *p == '-';
        long h, m = 0, v;
        s->p++;
        int n = digits(s, 4, &h);
        if (n == 0)
            goto no;
        if (*s->p == ':') {
            s->p++;
            if (n > 2 || digits(s, 2, &m) != 2)
                goto no;
            v = h * 60 + m;
        } else {
            v = n <= 2 ? h * 60 : (h / 100) * 60 + h % 100;
        }
        if (v > 24 * 60)
            goto no;
        *minutes = neg ? -v : v;
        return 1;
    }
    size_t n = 0;
    while (isalpha((unsigned char)p[n]))
        n++;
    for (size_t i = 0; n && i < sizeof zone_names / sizeof zone_names[0]; i++)
        if (strlen(zone_names[i].name) == n &&
            strncasecmp(p, zone_names[i].name, n) == 0) {
            s->p += n;
            *minutes = zone_names[i].minutes + (zone_names[i].dst ? 60 : 0);
            return 1;
        }
no:
    s->p = p;
    return 0;
}

/* "H:MM[:SS[.frac]]" (',' may stand for '.', as in ISO 8601). */
static int clock_time(sp *s, long *h, long *mi, long *sec, long *nsec)
{
    const char *p = s->p;
    *sec = *nsec = 0;
    if (digits(s, 2, h) == 0 || *s->p != ':')
        goto no;
    s->p++;
    if (digits(s, 2, mi) == 0)
        goto no;
    if (*s->p == ':') {
        s->p++;
        if (digits(s, 2, sec) == 0)
            goto no;
        if (*s->p == '.' || *s->p == ',') {
            s->p++;
            if (!isdigit((unsigned char)*s->p))
                goto no;
            long scale = 100000000;
            for (; isdigit((unsigned char)*s->p); s->p++, scale /= 10)
                *nsec += (*s->p - '0') * scale;
        }
    }
    if (*h > 23 || *mi > 59 || *sec > 59)
        goto no;
    return 1;
no:
    s->p = p;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (the civil-from-days inverse from H. Hinnant's "chrono-Compatible
 * Low-Level Date Algorithms"). */
static long long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long long)era * 146097 + doe - 719468;
}

static int leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Offset east of UTC (seconds) of local time at |t|. */
static long local_offset(long long t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (localtime_r(&tt, &tm) == NULL)
        return 0;
    return tm.tm_gmtoff;
}

int patch_stamp_parse(const char *stamp, long long *sec, long *nsec)
{
    sp s = {stamp};
    long y = 0, mon = 0, d = 0, h = 0, mi = 0, se = 0, ns = 0, zmin = 0;
    int have_zone = 0, ydigits = 4;
    if (stamp == NULL || sec == NULL || nsec == NULL)
        return PATCH_ERR_INVAL;
    skip_space(&s);
    if (isdigit((unsigned char)*s.p)) {
        /* ISO 8601 as GNU diff writes it: "2024-05-01 10:00:00.123 +0200",
         * also "T" between date and time and a zone straight after. */
        if ((ydigits = digits(&s, 4, &y)) == 0 || *s.p++ != '-' ||
            digits(&s, 2, &mon) == 0 || *s.p++ != '-' ||
            digits(&s, 2, &d) == 0)
            return PATCH_ERR_SYNTAX;
        if (*s.p == 'T' || *s.p == 't')
            s.p++;
        skip_space(&s);
        if (isdigit((unsigned char)*s.p) && !clock_time(&s, &h, &mi, &se, &ns))
            return PATCH_ERR_SYNTAX;
        skip_space(&s);
        have_zone = zone(&s, &zmin);
    } else {
        /* ctime and date(1): "Thu Jan  1 00:00:00 [UTC] 1970";
         * RFC 5322: "Thu, 01 Jan 1970 00:00:00 +0000". The weekday is
         * ignored when a date is given, as in parse_datetime. */
        for (int i = 0; i < 7; i++)
            if (word(&s, wdays[i]))
                break;
        if (*s.p == ',')
            s.p++;
        skip_space(&s);
        if (month_name(&s, &mon)) { /* ctime order */
            skip_space(&s);
            if (digits(&s, 2, &d) == 0)
                return PATCH_ERR_SYNTAX;
            skip_space(&s);
            if (isdigit((unsigned char)s.p[0]) && s.p[1] != '\0' &&
                (s.p[1] == ':' || s.p[2] == ':')) {
                if (!clock_time(&s, &h, &mi, &se, &ns))
                    return PATCH_ERR_SYNTAX;
                skip_space(&s);
                have_zone = zone(&s, &zmin);
                skip_space(&s);
            }
            if ((ydigits = digits(&s, 4, &y)) == 0)
                return PATCH_ERR_SYNTAX;
        } else { /* RFC 5322 order */
            if (digits(&s, 2, &d) == 0)
                return PATCH_ERR_SYNTAX;
            skip_space(&s);
            if (!month_name(&s, &mon))
                return PATCH_ERR_SYNTAX;
            skip_space(&s);
            if ((ydigits = digits(&s, 4, &y)) == 0)
                return PATCH_ERR_SYNTAX;
            skip_space(&s);
            if (isdigit((unsigned char)*s.p) &&
                !clock_time(&s, &h, &mi, &se, &ns))
                return PATCH_ERR_SYNTAX;
            skip_space(&s);
            have_zone = zone(&s, &zmin);
        }
    }
    /* Trailing blanks and parenthesised comments ("-0500 (EST)") are
     * skipped by parse_datetime; anything else makes it fail. */
    for (;;) {
        skip_space(&s);
        if (*s.p != '(')
            break;
        int depth = 0;
        do {
            depth += *s.p == '(';
            depth -= *s.p == ')';
            if (*s.p == '\0')
                return PATCH_ERR_SYNTAX;
            s.p++;
        } while (depth);
    }
    if (*s.p != '\0')
        return PATCH_ERR_SYNTAX;
    /* Two-digit years: 69-99 are 19xx, 00-68 are 20xx (parse-datetime.y,
     * to_year). */
    if (ydigits <= 2)
        y += y >= 69 ? 1900 : 2000;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12 || d < 1 ||
        d > mdays[mon - 1] + (mon == 2 && leap(y)))
        return PATCH_ERR_SYNTAX;
    long long t = days_from_civil(y, mon, d) * 86400LL + h * 3600 + mi * 60 + se;
    if (have_zone) {
        t -= zmin * 60L;
    } else {
        /* No zone: local time, as get_date reads it (TZ). Two steps find
         * the offset in force at that local time. */
        t -= local_offset(t - local_offset(t));
    }
    *sec = t;
    *nsec = ns;
    return PATCH_OK;
}

/* util.c, fetchname: lower = -25 h, upper = +26 h, both exclusive. */
static int stamp_is_epoch(const char *stamp)
{
    long long sec;
    long nsec;
    if (stamp == NULL || patch_stamp_parse(stamp, &sec, &nsec) != PATCH_OK)
        return 0;
    return (sec > -25LL * 3600 || (sec == -25LL * 3600 && nsec > 0)) &&
           sec < 26LL * 3600;
}

/* pch.c, sha1_says_nonexistent: all zeros 2, a prefix of the empty
 * blob's hash 1, else 0. */
static patch_presence hash_presence(const char *h, size_t n)
{
    static const char empty[] = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
    size_t z = 0;
    while (z < n && h[z] == '0')
        z++;
    if (z == n)
        return PATCH_ABSENT;
    return n <= sizeof empty - 1 && memcmp(h, empty, n) == 0
               ? PATCH_PRESENT_EMPTY
               : PATCH_PRESENT;
}

static size_t hex_run(const char *s)
{
    size_t n = 0;
    while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))
        n++;
    return n;
}

patch_presence patch_file_presence(const patch_file *f, patch_side side)
{
    patch_presence v = PATCH_PRESENT;
    int old = side == PATCH_SIDE_OLD;
    if (f == NULL)
        return PATCH_PRESENT;
    if (f->flags & PATCH_F_GIT) {
        /* Step 1. The printer writes "new file mode" exactly when CREATE
         * comes with a mode, so that is what the flags can tell apart from
         * a bare "--- /dev/null". */
        if (old && (f->flags & PATCH_F_CREATE) && f->new_mode)
            v = PATCH_ABSENT;
        if (!old && (f->flags & PATCH_F_DELETE) && f->old_mode)
            v = PATCH_ABSENT;
        /* Step 2: "index A..B[ mode]" (pch.c: hex digits, "..", hex
         * digits, then the end or a space). */
        const char *ix = f->git_index;
        size_t a = ix ? hex_run(ix) : 0;
        if (a && ix[a] == '.' && ix[a + 1] == '.') {
            size_t b = hex_run(ix + a + 2);
            char end = ix[a + 2 + b];
            if (b && (end == '\0' || isspace((unsigned char)end)))
                v = old ? hash_presence(ix, a) : hash_presence(ix + a + 2, b);
        }
    }
    /* Step 3: the first hunk. A /dev/null side has time 0. */
    if (f->nhunks) {
        long start = old ? f->hunks[0].old_start : f->hunks[0].new_start;
        int devnull = old ? (f->flags & PATCH_F_CREATE) != 0
                          : (f->flags & PATCH_F_DELETE) != 0;
        if (start == 0)
            v = devnull || stamp_is_epoch(old ? f->old_stamp : f->new_stamp)
                    ? PATCH_ABSENT
                    : PATCH_PRESENT_EMPTY;
    }
    return v;
}
