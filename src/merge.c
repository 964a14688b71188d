/* merge.c: see merge.h. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "merge.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "util.h"

/* Rows are read from the source and written to the destination through
 * statements, so that either may be an SQLite file or a PostgreSQL
 * server. New ids: a boot takes the next free id (people see and type
 * them), an input, stream or call the one the destination assigns, and a
 * line its input's (input id << 32 | seq, as import makes them). */

/* An id of the source and its new one. */
struct id_map {
    int64_t *from, *to;
    size_t n, cap;
};

/* Adds a pair, keeping the map in the source's id order (ids mostly come
 * in that order: the shift is short). */
static void map_add(struct id_map *m, int64_t from, int64_t to)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->from = bl_xrealloc(m->from, m->cap * sizeof(*m->from));
        m->to = bl_xrealloc(m->to, m->cap * sizeof(*m->to));
    }
    size_t i = m->n++;
    for (; i > 0 && m->from[i - 1] > from; i--) {
        m->from[i] = m->from[i - 1];
        m->to[i] = m->to[i - 1];
    }
    m->from[i] = from;
    m->to[i] = to;
}

/* The new id of `from`; BL_NONE if it has none. */
static int64_t map_get(const struct id_map *m, int64_t from)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->from[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->from[lo] == from ? m->to[lo] : BL_NONE;
}

static void map_free(struct id_map *m)
{
    free(m->from);
    free(m->to);
}

/* A source input's lines: ids first .. first + count - 1 move by shift. */
struct input_span {
    int64_t input, first, count, shift;
};

struct copy {
    struct bl_db *dst, *src;
    struct id_map boot, input, stream;   /* boot and stream: the boot being copied */
    struct input_span *spans;            /* every input copied */
    size_t n_spans, cap_spans;
    size_t boot_spans[8], n_boot_spans;  /* the boot's (a boot has at most three streams) */
};

static int64_t line_id(const struct copy *c, int64_t id)
{
    if (id == BL_NONE)
        return BL_NONE;
    for (size_t k = 0; k < c->n_boot_spans; k++) {
        const struct input_span *s = &c->spans[c->boot_spans[k]];
        if (id >= s->first && id < s->first + s->count)
            return id + s->shift;
    }
    return BL_NONE;
}

/* How a column's value is renumbered. */
enum remap { KEEP, NEW_ID, BOOT, INPUT, STREAM, LINE };

struct column_rule {
    const char *column;
    enum remap how;
};

/* Copies the source rows of `select` (its first parameter bound to arg)
 * into table, each column renumbered by its rule; with `returning`, the
 * new row's id is mapped from the old one's (the first column) in *made.
 * Returns 0 or -1 after printing an error. */
static int copy_rows(struct copy *c, const char *table, const char *select, int64_t arg,
                     const struct column_rule *rules, size_t n_rules, struct id_map *made)
{
    struct bl_stmt *from = bl_db_prepare(c->src, select), *to = NULL;
    int rc = -1, step;
    enum remap how[64];
    int param[64];          /* a column's placeholder; 0: not written */
    int n_cols = 0;
    int64_t next_boot = 0;

    if (!from)
        return -1;
    if (bl_bind_parameter_count(from) > 0)
        bl_bind_int64(from, 1, arg);
    while ((step = bl_step(from)) == BL_ROW) {
        if (!to) {
            /* the statement, from the source's columns */
            char cols[4096] = "", vals[1024] = "";
            size_t cl = 0, vl = 0;
            int n_params = 0;
            n_cols = bl_column_count(from);
            if (n_cols > 64) {
                bl_error("%s: %s has more columns than bootlog knows", bl_db_name(c->src), table);
                goto out;
            }
            for (int i = 0; i < n_cols; i++) {
                const char *name = bl_column_name(from, i);
                how[i] = KEEP;
                for (size_t r = 0; r < n_rules; r++)
                    if (strcmp(rules[r].column, name) == 0)
                        how[i] = rules[r].how;
                param[i] = 0;
                if (how[i] == NEW_ID)
                    continue;   /* the destination assigns it */
                param[i] = ++n_params;
                cl += (size_t)snprintf(cols + cl, sizeof(cols) - cl, "%s%s", cl ? ", " : "", name);
                vl += (size_t)snprintf(vals + vl, sizeof(vals) - vl, "%s?%d", vl ? ", " : "", n_params);
            }
            char sql[6000];
            snprintf(sql, sizeof(sql), "INSERT INTO %s (%s) VALUES (%s)%s", table, cols, vals,
                     made ? " RETURNING id" : "");
            to = made ? bl_db_prepare(c->dst, sql) : bl_db_prepare_bulk(c->dst, sql);
            if (!to)
                goto out;
            if (how[0] == BOOT &&
                bl_db_int(c->dst, "SELECT coalesce(max(id), 0) FROM boot", 0, NULL, &next_boot) < 0)
                goto out;
        }
        for (int i = 0; i < n_cols; i++) {
            int type = bl_column_type(from, i);
            int64_t v = type == BL_NULL ? BL_NONE : bl_column_int64(from, i);
            switch (how[i]) {
            case NEW_ID:
                continue;
            case BOOT:
                /* the boot table's own id: the next free one, in the source's order */
                v = strcmp(table, "boot") == 0 ? ++next_boot : map_get(&c->boot, v);
                break;
            case INPUT:
                v = map_get(&c->input, v);
                break;
            case STREAM:
                v = map_get(&c->stream, v);
                break;
            case LINE:
                v = line_id(c, v);
                break;
            case KEEP:
                if (type == BL_INTEGER)
                    bl_bind_int64(to, param[i], v);
                else if (type == BL_FLOAT)
                    bl_bind_double(to, param[i], bl_column_double(from, i));
                else if (type == BL_TEXT)
                    bl_bind_text(to, param[i], (const char *)bl_column_text(from, i), bl_column_bytes(from, i),
                                 BL_STATIC);
                else if (type == BL_BLOB)
                    bl_bind_blob(to, param[i], bl_column_blob(from, i), bl_column_bytes(from, i), BL_STATIC);
                else
                    bl_bind_null(to, param[i]);
                continue;
            }
            bl_bind_opt(to, param[i], v);
        }
        int put = bl_step(to);
        if (made && put == BL_ROW) {
            map_add(made, bl_column_int64(from, 0), bl_column_int64(to, 0));
            put = bl_step(to);
        }
        bl_reset(to);
        if (put != BL_DONE) {
            bl_db_error(c->dst, "cannot copy a row");
            goto out;
        }
    }
    rc = bl_db_done(c->src, step, "cannot read the boots to copy");
out:
    bl_finalize(from);
    bl_finalize(to);
    return rc;
}

/* The source's boots that db lacks (by content hash), in id order. */
static int pick_boots(struct copy *c, int64_t **ids, size_t *n, int64_t *in_src)
{
    struct bl_stmt *st = bl_db_prepare(c->src, "SELECT id, content_sha256 FROM boot ORDER BY id");
    struct bl_stmt *have = bl_db_prepare(c->dst, "SELECT 1 FROM boot WHERE content_sha256 = ?1");
    size_t cap = 0;
    int step = BL_ERROR, rc = -1;

    *ids = NULL;
    *n = 0;
    *in_src = 0;
    if (!st || !have)
        goto out;
    while ((step = bl_step(st)) == BL_ROW) {
        (*in_src)++;
        bl_bind_text(have, 1, (const char *)bl_column_text(st, 1), -1, BL_STATIC);
        int found = bl_step(have);
        bl_reset(have);
        if (found == BL_DONE)
            BL_PUSH(*ids, *n, cap, bl_column_int64(st, 0));
        else if (found != BL_ROW) {
            bl_db_error(c->dst, "cannot read its boots");
            goto out;
        }
    }
    rc = bl_db_done(c->src, step, "cannot read its boots");
out:
    bl_finalize(st);
    bl_finalize(have);
    return rc;
}

/* One boot, with its inputs (once), streams, lines, calls and derived rows. */
static int copy_boot(struct copy *c, int64_t boot)
{
    static const struct column_rule input_rules[] = { { "id", NEW_ID } };
    static const struct column_rule boot_rules[] = { { "id", BOOT }, { "poweroff_line_id", LINE },
                                                     { "userspace_line_id", LINE } };
    static const struct column_rule stream_rules[] = { { "id", NEW_ID }, { "boot_id", BOOT }, { "input_id", INPUT },
                                                       { "first_line_id", LINE }, { "last_line_id", LINE } };
    static const struct column_rule line_rules[] = { { "id", LINE }, { "stream_id", STREAM } };
    static const struct column_rule call_rules[] = { { "id", NEW_ID }, { "boot_id", BOOT }, { "stream_id", STREAM } };
    static const struct column_rule boot_id_rules[] = { { "boot_id", BOOT }, { "line_id", LINE } };

    /* inputs first: their new ids give the lines theirs */
    struct bl_stmt *st = bl_db_prepare(c->src,
        "SELECT i.id, i.first_line_id, i.line_count FROM input i WHERE i.id IN "
        "(SELECT input_id FROM stream WHERE boot_id = ?1) ORDER BY i.id");
    int step;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    c->n_boot_spans = 0;
    while ((step = bl_step(st)) == BL_ROW) {
        int64_t id = bl_column_int64(st, 0);
        if (map_get(&c->input, id) != BL_NONE) {
            /* a file of several boots: its input is copied once */
            for (size_t k = 0; k < c->n_spans; k++)
                if (c->spans[k].input == id && c->n_boot_spans < 8)
                    c->boot_spans[c->n_boot_spans++] = k;
            continue;
        }
        struct id_map one = { 0 };
        int rc = copy_rows(c, "input", "SELECT * FROM input WHERE id = ?1", id, input_rules, 1, &one);
        int64_t new_id = one.n ? one.to[0] : BL_NONE;
        map_free(&one);
        if (rc < 0 || new_id == BL_NONE)
            goto fail;
        map_add(&c->input, id, new_id);
        int64_t first = (new_id << 32) + 1;
        struct input_span span = { id, bl_column_int64(st, 1), bl_column_int64(st, 2),
                                   first - bl_column_int64(st, 1) };
        if (c->n_boot_spans < 8)
            c->boot_spans[c->n_boot_spans++] = c->n_spans;
        BL_PUSH(c->spans, c->n_spans, c->cap_spans, span);
        struct bl_stmt *up = bl_db_prepare(c->dst, "UPDATE input SET first_line_id = ?1 WHERE id = ?2");
        if (!up)
            goto fail;
        bl_bind_int64(up, 1, first);
        bl_bind_int64(up, 2, new_id);
        int done = bl_step(up);
        bl_finalize(up);
        if (bl_db_done(c->dst, done, "cannot copy an input") < 0)
            goto fail;
    }
    bl_finalize(st);
    st = NULL;
    if (step != BL_DONE) {
        bl_db_error(c->src, "cannot read its inputs");
        return -1;
    }
    struct id_map one = { 0 };
    if (copy_rows(c, "boot", "SELECT * FROM boot WHERE id = ?1", boot, boot_rules, 3, NULL) < 0)
        return -1;
    int64_t new_boot;
    if (bl_db_int(c->dst, "SELECT max(id) FROM boot", 0, NULL, &new_boot) < 0)
        return -1;
    map_add(&one, boot, new_boot);
    map_free(&c->stream);
    c->stream = (struct id_map){ 0 };
    c->boot = one;
    int rc = copy_rows(c, "stream", "SELECT * FROM stream WHERE boot_id = ?1 ORDER BY id", boot, stream_rules, 5,
                       &c->stream);
    if (rc == 0)
        rc = copy_rows(c, "line", "SELECT l.* FROM line l JOIN stream s ON s.id = l.stream_id "
                                  "WHERE s.boot_id = ?1 ORDER BY l.id", boot, line_rules, 2, NULL);
    if (rc == 0)
        rc = copy_rows(c, "call", "SELECT * FROM call WHERE boot_id = ?1 ORDER BY id", boot, call_rules, 3, NULL);
    static const char *const derived[][2] = {
        { "uart", "SELECT * FROM uart WHERE boot_id = ?1" },
        { "timeline", "SELECT * FROM timeline WHERE boot_id = ?1 ORDER BY corrected" },
        { "phase", "SELECT * FROM phase WHERE boot_id = ?1 ORDER BY corrected, seq" },
        { "boot_meta", "SELECT * FROM boot_meta WHERE boot_id = ?1 ORDER BY name" },
        { "account", "SELECT * FROM account WHERE boot_id = ?1 ORDER BY seq" },
        { "unit", "SELECT * FROM unit WHERE boot_id = ?1 ORDER BY name" },
    };
    for (size_t i = 0; i < sizeof(derived) / sizeof(derived[0]) && rc == 0; i++)
        rc = copy_rows(c, derived[i][0], derived[i][1], boot, boot_id_rules, 2, NULL);
    map_free(&c->boot);
    c->boot = (struct id_map){ 0 };
    return rc;
fail:
    bl_finalize(st);
    return -1;
}

int bl_merge(struct bl_db *db, const char *src_name, int64_t *added, int64_t *present)
{
    /* the source must be a bootlog database of this schema: opening it for
     * reading says so, or why not */
    struct copy c = { .dst = db, .src = bl_db_open(src_name, BL_DB_READ) };
    int64_t *boots = NULL, in_src;
    size_t n = 0;
    int rc = -1;

    if (!c.src)
        return -1;
    if (bl_db_begin(db) < 0)
        goto out;
    if (pick_boots(&c, &boots, &n, &in_src) < 0)
        goto rollback;
    for (size_t i = 0; i < n; i++)
        if (copy_boot(&c, boots[i]) < 0)
            goto rollback;
    if (bl_db_commit(db) < 0)
        goto rollback;
    int64_t last;
    if (n && bl_db_int(db, "SELECT max(id) FROM boot", 0, NULL, &last) > 0)
        bl_db_grown(db, last - (int64_t)n, last);
    *added = (int64_t)n;
    *present = in_src - (int64_t)n;
    rc = 0;
    goto out;
rollback:
    bl_db_rollback(db);
out:
    free(boots);
    free(c.spans);
    map_free(&c.input);
    map_free(&c.stream);
    bl_db_close(c.src);
    return rc;
}

/* The same file under two names (merging a database into itself). */
static int same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

int bl_merge_check_sources(const char *out, const char *const *sources, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(out, sources[i]) == 0 || same_file(out, sources[i])) {
            bl_error("merge: %s is the output database itself", sources[i]);
            return -2;
        }
    for (size_t i = 0; i < n; i++) {
        struct bl_db *check = bl_db_open(sources[i], BL_DB_READ);
        if (!check)
            return -1;
        bl_db_close(check);
    }
    return 0;
}
