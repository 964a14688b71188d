/* db-pg.c: the PostgreSQL backend (libpq), and the one place where the
 * SQL bootlog writes (SQLite's) is turned into PostgreSQL's:
 *   - placeholders ?N, ? and :name become $N;
 *   - in the schema, INTEGER is BIGINT (SQLite's are 64-bit), an id
 *     INTEGER PRIMARY KEY is assigned by an identity, BLOB is BYTEA, TEXT
 *     compares bytewise (COLLATE "C", as SQLite does), REFERENCES are
 *     declared in SQLite only (neither enforces them), WITHOUT ROWID goes;
 *   - LIKE is ILIKE (SQLite's ignores ASCII case), instr() is strpos(),
 *     json_group_object() is json_object_agg();
 *   - ORDER BY puts NULLs first, as SQLite does;
 *   - a migration's "-- postgresql: " lines are statements (indexes its
 *     planner needs); SQLite reads them as comments;
 *   - writers take turns through an advisory lock (SQLite's BEGIN
 *     IMMEDIATE); a reader sees one snapshot (REPEATABLE READ);
 *   - rows of bulk statements go by COPY.
 * Values come back as text and are read by db.c's accessors. */
#include "db-internal.h"

#include <ctype.h>
#include <dlfcn.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* pg_type OIDs (catalog/pg_type_d.h, stable since PostgreSQL 7) */
enum { BOOLOID = 16, BYTEAOID = 17, INT8OID = 20, INT2OID = 21, INT4OID = 23, TEXTOID = 25, OIDOID = 26,
       FLOAT4OID = 700, FLOAT8OID = 701, NUMERICOID = 1700 };

/* libpq is loaded when a server is first named (dlopen), not when bootlog
 * starts: its dependencies (Kerberos, LDAP, TLS: two dozen libraries) cost
 * every process 4 ms, a third of a small import, for users of SQLite
 * files too. The functions bootlog calls, and their names: */
static struct {
    __typeof__(PQclear) *PQclear;
    __typeof__(PQconnectdb) *PQconnectdb;
    __typeof__(PQconninfoFree) *PQconninfoFree;
    __typeof__(PQconninfoParse) *PQconninfoParse;
    __typeof__(PQdb) *PQdb;
    __typeof__(PQerrorMessage) *PQerrorMessage;
    __typeof__(PQexec) *PQexec;
    __typeof__(PQexecParams) *PQexecParams;
    __typeof__(PQexecPrepared) *PQexecPrepared;
    __typeof__(PQfinish) *PQfinish;
    __typeof__(PQfname) *PQfname;
    __typeof__(PQfreemem) *PQfreemem;
    __typeof__(PQftype) *PQftype;
    __typeof__(PQgetResult) *PQgetResult;
    __typeof__(PQgetisnull) *PQgetisnull;
    __typeof__(PQgetlength) *PQgetlength;
    __typeof__(PQgetvalue) *PQgetvalue;
    __typeof__(PQhost) *PQhost;
    __typeof__(PQnfields) *PQnfields;
    __typeof__(PQntuples) *PQntuples;
    __typeof__(PQport) *PQport;
    __typeof__(PQputCopyData) *PQputCopyData;
    __typeof__(PQputCopyEnd) *PQputCopyEnd;
    __typeof__(PQresultErrorField) *PQresultErrorField;
    __typeof__(PQresultErrorMessage) *PQresultErrorMessage;
    __typeof__(PQresultStatus) *PQresultStatus;
    __typeof__(PQsetNoticeProcessor) *PQsetNoticeProcessor;
    __typeof__(PQsetvalue) *PQsetvalue;
    __typeof__(PQstatus) *PQstatus;
    __typeof__(PQuser) *PQuser;
    __typeof__(PQprepare) *PQprepare;
    __typeof__(PQtransactionStatus) *PQtransactionStatus;
} pq;
static const char *const pq_names[] = {
    "PQclear",
    "PQconnectdb",
    "PQconninfoFree",
    "PQconninfoParse",
    "PQdb",
    "PQerrorMessage",
    "PQexec",
    "PQexecParams",
    "PQexecPrepared",
    "PQfinish",
    "PQfname",
    "PQfreemem",
    "PQftype",
    "PQgetResult",
    "PQgetisnull",
    "PQgetlength",
    "PQgetvalue",
    "PQhost",
    "PQnfields",
    "PQntuples",
    "PQport",
    "PQputCopyData",
    "PQputCopyEnd",
    "PQresultErrorField",
    "PQresultErrorMessage",
    "PQresultStatus",
    "PQsetNoticeProcessor",
    "PQsetvalue",
    "PQstatus",
    "PQuser",
    "PQprepare",
    "PQtransactionStatus",
};

/* Loads libpq; 0, or -1 after saying why. */
static int load_libpq(void)
{
    static void *lib;
    if (lib)
        return 0;
    void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        bl_error("PostgreSQL: cannot load libpq (Debian's libpq5 package): %s", dlerror());
        return -1;
    }
    _Static_assert(sizeof(pq) == sizeof(pq_names) / sizeof(pq_names[0]) * sizeof(void (*)(void)),
                   "pq and pq_names list the same functions");
    for (size_t i = 0; i < sizeof(pq_names) / sizeof(pq_names[0]); i++) {
        void *sym = dlsym(h, pq_names[i]);
        if (!sym) {
            bl_error("PostgreSQL: libpq has no %s: %s", pq_names[i], dlerror());
            dlclose(h);
            return -1;
        }
        memcpy((char *)&pq + i * sizeof(void (*)(void)), &sym, sizeof(sym));   /* ISO C: no void * to function */
    }
    lib = h;
    return 0;
}

/* The advisory lock bootlog's writers take for a transaction ("BtLg"). */
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(1114917991)"

struct pg_conn {
    PGconn *conn;
    char err[512];            /* the last error, one line */
    char sqlstate[6];
    int in_read;              /* a reader's snapshot transaction is open */
    int closing;              /* its statements go with the connection */
    struct pg_stmt **bulk;    /* bulk statements with rows waiting */
    size_t n_bulk, cap_bulk;
};

struct pg_stmt {
    struct pg_conn *pc;
    char *sql;                /* translated */
    int n_params;
    char **names;             /* of named parameters (":id"), by index - 1 */
    char **values;            /* bound, copies */
    int *lengths, *formats;
    Oid *types;
    PGresult *res;
    int row;                  /* the current row; -1 before the first */
    int *decoded;             /* per column, the row whose bytea was decoded in place, + 1 */
    int ran;                  /* executed since the last reset */
    int runs;                 /* executed at all */
    char prepared[24];        /* the server's name for it, once it runs again ("": none yet) */
    /* bulk statements: COPY table (columns), rows in COPY's text form */
    char *copy_head;
    char *setup, *after;      /* a bulk UPDATE: its staging table, and the UPDATE from it */
    int64_t seq;              /* a bulk UPDATE's rows so far (the last for a row wins) */
    char *rows;
    size_t n_rows, cap_rows;
    int waiting;              /* listed in pc->bulk */
    char **blobs;             /* bytea values as they came (bulk rows need them) */
};

static void set_error(struct pg_conn *pc, const char *msg, const char *state)
{
    const char *m = msg && *msg ? msg : "unknown error";
    if (strncmp(m, "ERROR:  ", 8) == 0)
        m += 8;
    snprintf(pc->err, sizeof(pc->err), "%.*s", (int)strcspn(m, "\n"), m);
    snprintf(pc->sqlstate, sizeof(pc->sqlstate), "%s", state ? state : "");
}

static void result_error(struct pg_conn *pc, PGresult *r)
{
    if (r)
        set_error(pc, pq.PQresultErrorMessage(r), pq.PQresultErrorField(r, PG_DIAG_SQLSTATE));
    else
        set_error(pc, pq.PQerrorMessage(pc->conn), NULL);
}

const char *bl_pg_errmsg(struct bl_db *db)
{
    if (strcmp(db->pg->sqlstate, "55P03") == 0)   /* lock_not_available: lock_timeout ran out */
        return "database is locked: " BL_LOCKED_TEXT;
    return db->pg->err;
}

int bl_pg_unique_violation(struct bl_db *db)
{
    return strcmp(db->pg->sqlstate, "23505") == 0;
}

/* ------------------------------------------------------------ dialect */

static int word_is(const char *p, const char *word)
{
    size_t n = strlen(word);
    return strncasecmp(p, word, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

static int word_start(const char *sql, const char *p)
{
    return p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
}

struct out {
    char *s;
    size_t n, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->n + n + 1 > o->cap) {
        o->cap = (o->n + n + 1) * 2;
        o->s = bl_xrealloc(o->s, o->cap);
    }
    memcpy(o->s + o->n, s, n);
    o->n += n;
    o->s[o->n] = '\0';
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* The end of a string literal or quoted name starting at p. */
static const char *skip_quoted(const char *p)
{
    char q = *p++;
    while (*p && !(*p == q && p[1] != q))
        p += *p == q ? 2 : 1;
    return *p ? p + 1 : p;
}

/* Where the ORDER BY list that starts at p ends: a LIMIT or OFFSET, a
 * closing parenthesis, a semicolon or the end, at its own depth. */
static const char *order_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\'' || *p == '"') {
            p = skip_quoted(p) - 1;
            continue;
        }
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth-- == 0)
            return p;
        else if (depth == 0 && (*p == ';' || ((word_is(p, "LIMIT") || word_is(p, "OFFSET")) && isspace((unsigned char)p[-1]))))
            return p;
    }
    return p;
}

/* An ORDER BY list [p, end) with NULLS FIRST on ascending terms and NULLS
 * LAST on descending ones: SQLite's order, where NULL is the smallest. */
static void order_list(struct out *o, const char *p, const char *end);

/* In a migration, what follows this on its line is for PostgreSQL only
 * (an index its planner needs, which SQLite does without). */
#define PG_ONLY "-- postgresql: "

/* Translates SQL text; ddl: a migration (types, keys, collation). The
 * parameters' names, in index order, go to *names (when not NULL). */
static char *translate(const char *sql, int ddl, char ***names, int *n_params)
{
    struct out o = { 0 };
    int next = 0;           /* SQLite numbers a bare ? as the largest so far + 1 */
    char **nm = NULL;
    char last = '(';        /* the last character that was not a space or in a comment */
    puts_(&o, "");
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            const char *e = skip_quoted(p);
            put(&o, p, (size_t)(e - p));
            p = e;
            last = 'a';
        } else if (ddl && strncmp(p, PG_ONLY, sizeof(PG_ONLY) - 1) == 0) {
            p += sizeof(PG_ONLY) - 1;   /* a statement for PostgreSQL alone: SQLite reads a comment */
        } else if (p[0] == '-' && p[1] == '-') {
            size_t n = strcspn(p, "\n");
            put(&o, p, n);
            p += n;
        } else if (*p == '?' || (*p == ':' && (isalpha((unsigned char)p[1]) || p[1] == '_'))) {
            int idx = 0;
            char *name = NULL;
            if (*p == '?') {
                char *e;
                long v = strtol(p + 1, &e, 10);
                idx = e > p + 1 ? (int)v : next + 1;
                p = e;
            } else {
                size_t n = 1;
                while (isalnum((unsigned char)p[n]) || p[n] == '_')
                    n++;
                for (int i = 0; i < next && !idx; i++)
                    if (nm[i] && strlen(nm[i]) == n && strncmp(nm[i], p, n) == 0)
                        idx = i + 1;
                if (!idx) {
                    idx = next + 1;
                    name = bl_xstrndup(p, n);
                }
                p += n;
            }
            if (idx > next) {
                nm = bl_xrealloc(nm, (size_t)idx * sizeof(*nm));
                for (int i = next; i < idx; i++)
                    nm[i] = NULL;
                next = idx;
            }
            if (name)
                nm[idx - 1] = name;
            char buf[16];
            snprintf(buf, sizeof(buf), "$%d", idx);
            puts_(&o, buf);
            last = 'a';
        } else if (word_start(sql, p) && (isalpha((unsigned char)*p) || *p == '_')) {
            size_t n = 0;
            while (isalnum((unsigned char)p[n]) || p[n] == '_')
                n++;
            /* a column's name, first in its definition, is not a type */
            int name = ddl && (last == '(' || last == ',');
            last = 'a';
            if (name) {
                put(&o, p, n);
                p += n;
                continue;
            }
            if (ddl && word_is(p, "REFERENCES")) {
                /* REFERENCES t(c) [ON DELETE CASCADE]: declared in SQLite only */
                const char *e = p + n;
                while (*e && *e != '(')
                    e++;
                while (*e && *e != ')')
                    e++;
                if (*e)
                    e++;
                const char *s = e;
                while (isspace((unsigned char)*s))
                    s++;
                if (word_is(s, "ON")) {
                    for (int w = 0; w < 3; w++) {   /* ON DELETE CASCADE */
                        while (isspace((unsigned char)*s))
                            s++;
                        while (isalpha((unsigned char)*s))
                            s++;
                    }
                    e = s;
                }
                p = e;
                continue;
            }
            if (ddl && word_is(p, "INTEGER")) {
                const char *s = p + n;
                while (isspace((unsigned char)*s))
                    s++;
                /* an id column: the database assigns it */
                size_t k = o.n;
                while (k > 0 && isspace((unsigned char)o.s[k - 1]))
                    k--;
                int is_id = k >= 2 && strncasecmp(o.s + k - 2, "id", 2) == 0 &&
                            (k == 2 || !(isalnum((unsigned char)o.s[k - 3]) || o.s[k - 3] == '_'));
                if (word_is(s, "PRIMARY") && is_id)
                    puts_(&o, "BIGINT GENERATED BY DEFAULT AS IDENTITY");
                else
                    puts_(&o, "BIGINT");
            } else if (word_is(p, "INTEGER")) {
                puts_(&o, "BIGINT");
            } else if (word_is(p, "BLOB")) {
                puts_(&o, "BYTEA");
            } else if (word_is(p, "REAL")) {
                puts_(&o, "DOUBLE PRECISION");
            } else if (ddl && word_is(p, "TEXT")) {
                puts_(&o, "TEXT COLLATE \"C\"");
            } else if (word_is(p, "LIKE")) {
                puts_(&o, "ILIKE");
            } else if (word_is(p, "instr") && p[n] == '(') {
                puts_(&o, "strpos");
            } else if (word_is(p, "json_group_object") && p[n] == '(') {
                puts_(&o, "json_object_agg");
            } else if (word_is(p, "WITHOUT") && word_is(p + n + strspn(p + n, " \t\n"), "ROWID")) {
                const char *s = p + n + strspn(p + n, " \t\n");
                p = s + 5;
                continue;
            } else if (word_is(p, "ORDER") && word_is(p + n + strspn(p + n, " \t\n"), "BY")) {
                const char *s = p + n + strspn(p + n, " \t\n") + 2;
                const char *e = order_end(s);
                puts_(&o, "ORDER BY");
                order_list(&o, s, e);
                p = e;
                continue;
            } else {
                put(&o, p, n);
            }
            p += n;
        } else {
            if (!isspace((unsigned char)*p))
                last = *p;
            put(&o, p, 1);
            p++;
        }
    }
    if (names)
        *names = nm;
    else {
        for (int i = 0; i < next; i++)
            free(nm[i]);
        free(nm);
    }
    if (n_params)
        *n_params = next;
    return o.s;
}

static void order_list(struct out *o, const char *p, const char *end)
{
    while (p < end) {
        /* one term: up to a comma at depth 0 */
        const char *t = p;
        int depth = 0;
        for (; t < end; t++) {
            if (*t == '\'' || *t == '"') {
                t = skip_quoted(t) - 1;
                continue;
            }
            if (*t == '(')
                depth++;
            else if (*t == ')')
                depth--;
            else if (*t == ',' && depth == 0)
                break;
        }
        const char *e = t;
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        int desc = e - p >= 4 && strncasecmp(e - 4, "DESC", 4) == 0 && isspace((unsigned char)e[-5]);
        int nulls = 0;
        for (const char *s = p; s + 5 <= e; s++)
            nulls |= word_is(s, "NULLS");
        char *term = bl_xstrndup(p, (size_t)(e - p));
        char *tr = translate(term, 0, NULL, NULL);
        puts_(o, tr);
        if (!nulls)
            puts_(o, desc ? " NULLS LAST" : " NULLS FIRST");
        free(term);
        free(tr);
        put(o, e, (size_t)(t - e));
        if (t < end) {
            put(o, ",", 1);
            t++;
        }
        p = t;
    }
}

/* ------------------------------------------------------------ statements */

static int flush_bulk(struct pg_conn *pc);

/* The column (or key) set from parameter ?N in an UPDATE's list "c = ?N,
 * ...": reads one "c = ?N" at *p; 0, or -1 if it is not that. */
static int assignment(const char **p, char *col, size_t size, int *n)
{
    const char *s = *p + strspn(*p, " ");
    size_t len = strcspn(s, " =");
    char *e;
    if (len == 0 || len >= size || strncmp(s + len, " = ?", 4) != 0)
        return -1;
    memcpy(col, s, len);
    col[len] = '\0';
    *n = (int)strtol(s + len + 4, &e, 10);
    *p = e;
    return *n >= 1 ? 0 : -1;
}

/* UPDATE t SET a = ?2, b = ?3 WHERE id = ?1, in bulk: its rows are copied
 * into a staging table (temporary, typed like t's columns) and applied by
 * one UPDATE ... FROM, a round trip for all instead of one each. */
static int bulk_update(struct pg_stmt *st, const char *sql)
{
    static int made;   /* staging tables are per statement */
    char table[64], key[64], cols[16][64];
    int param[16], n = 0, key_param;
    const char *p = sql + 7;
    size_t len = strcspn(p, " ");
    if (len == 0 || len >= sizeof(table) || strncmp(p + len, " SET ", 5) != 0)
        return -1;
    memcpy(table, p, len);
    table[len] = '\0';
    p += len + 5;
    do {
        if (n == 16 || assignment(&p, cols[n], sizeof(cols[n]), &param[n]) < 0)
            return -1;
        n++;
    } while (*p == ',' && p++);
    if (strncmp(p, " WHERE ", 7) != 0)
        return -1;
    p += 6;
    if (assignment(&p, key, sizeof(key), &key_param) < 0 || *p || st->n_params != n + 1)
        return -1;
    int id = ++made;
    struct out setup = { 0 }, after = { 0 }, head = { 0 };
    char buf[256];
    snprintf(buf, sizeof(buf), "CREATE TEMP TABLE IF NOT EXISTS bl_bulk_%d ON COMMIT DELETE ROWS AS SELECT ", id);
    puts_(&setup, buf);
    snprintf(buf, sizeof(buf), "COPY bl_bulk_%d (", id);
    puts_(&head, buf);
    for (int i = 1; i <= st->n_params; i++) {
        const char *col = i == key_param ? key : NULL;
        for (int k = 0; k < n && !col; k++)
            col = param[k] == i ? cols[k] : NULL;
        if (!col)
            return -1;
        snprintf(buf, sizeof(buf), "%s AS p%d, ", col, i);
        puts_(&setup, buf);
        snprintf(buf, sizeof(buf), "p%d, ", i);
        puts_(&head, buf);
    }
    snprintf(buf, sizeof(buf), "0::bigint AS bl_seq FROM %s WITH NO DATA", table);
    puts_(&setup, buf);
    puts_(&head, "bl_seq) FROM STDIN");
    snprintf(buf, sizeof(buf), "UPDATE %s AS t SET ", table);
    puts_(&after, buf);
    for (int k = 0; k < n; k++) {
        snprintf(buf, sizeof(buf), "%s%s = s.p%d", k ? ", " : "", cols[k], param[k]);
        puts_(&after, buf);
    }
    snprintf(buf, sizeof(buf), " FROM (SELECT DISTINCT ON (p%d) * FROM bl_bulk_%d ORDER BY p%d, bl_seq DESC) AS s "
             "WHERE t.%s = s.p%d; TRUNCATE bl_bulk_%d", key_param, id, key_param, key, key_param, id);
    puts_(&after, buf);
    st->setup = setup.s;
    st->after = after.s;
    st->copy_head = head.s;
    return 0;
}

struct pg_stmt *bl_pg_prepare(struct bl_db *db, const char *sql, int bulk)
{
    struct pg_stmt *st = bl_xmalloc(sizeof(*st));
    *st = (struct pg_stmt){ .pc = db->pg, .row = -1 };
    st->sql = translate(sql, 0, &st->names, &st->n_params);
    size_t n = (size_t)(st->n_params > 0 ? st->n_params : 1);
    st->values = bl_xmalloc(n * sizeof(*st->values));
    st->lengths = bl_xmalloc(n * sizeof(*st->lengths));
    st->formats = bl_xmalloc(n * sizeof(*st->formats));
    st->types = bl_xmalloc(n * sizeof(*st->types));
    for (size_t i = 0; i < n; i++) {
        st->values[i] = NULL;
        st->lengths[i] = st->formats[i] = 0;
        st->types[i] = 0;
    }
    if (bulk && strncmp(sql, "UPDATE ", 7) == 0) {
        if (bulk_update(st, sql) < 0) {
            bl_error("%s: not a bulk UPDATE (UPDATE t SET c = ?N, ... WHERE k = ?N): %.60s", db->name, sql);
            bl_pg_finalize(st);
            return NULL;
        }
    } else if (bulk) {
        /* INSERT INTO t (columns) VALUES (...): COPY t (columns) FROM STDIN */
        const char *into = strstr(sql, "INTO "), *open = strchr(sql, '('), *close = open ? strchr(open, ')') : NULL;
        if (!into || !open || !close) {
            bl_error("%s: not a bulk INSERT: %.60s", db->name, sql);
            bl_pg_finalize(st);
            return NULL;
        }
        char head[4096];
        snprintf(head, sizeof(head), "COPY %.*s %.*s FROM STDIN", (int)(open - into - 5), into + 5,
                 (int)(close - open + 1), open);
        st->copy_head = bl_xstrdup(head);
    }
    return st;
}

int bl_pg_param_count(struct pg_stmt *st)
{
    return st->n_params;
}

int bl_pg_param_index(struct pg_stmt *st, const char *name)
{
    for (int i = 0; i < st->n_params; i++)
        if (st->names && st->names[i] && strcmp(st->names[i], name) == 0)
            return i + 1;
    return 0;
}

int bl_pg_bind(struct pg_stmt *st, int i, const char *v, int n, int type)
{
    static const Oid oid[] = { [BL_INTEGER] = INT8OID, [BL_FLOAT] = FLOAT8OID, [BL_TEXT] = TEXTOID,
                               [BL_BLOB] = BYTEAOID, [BL_NULL] = 0 };
    if (i < 1 || i > st->n_params)
        return 25;   /* SQLITE_RANGE */
    free(st->values[i - 1]);
    st->values[i - 1] = NULL;
    if (v) {
        st->values[i - 1] = bl_xmalloc((size_t)n + 1);
        memcpy(st->values[i - 1], v, (size_t)n);
        st->values[i - 1][n] = '\0';
    }
    st->lengths[i - 1] = n;
    st->formats[i - 1] = type == BL_BLOB;   /* bytea goes in binary */
    /* a NULL's type is the server's guess, as any untyped literal's */
    st->types[i - 1] = oid[type];
    return 0;
}

void bl_pg_clear(struct pg_stmt *st)
{
    for (int i = 0; i < st->n_params; i++) {
        free(st->values[i]);
        st->values[i] = NULL;
        st->types[i] = 0;
        st->formats[i] = 0;
        st->lengths[i] = 0;
    }
}

/* A bound value in COPY's text form. */
static void copy_value(struct out *o, const struct pg_stmt *st, int i)
{
    const char *v = st->values[i];
    if (!v) {
        puts_(o, "\\N");
        return;
    }
    if (st->formats[i]) {   /* bytea: \\x and hex (the backslash itself escaped) */
        static const char hex[] = "0123456789abcdef";
        puts_(o, "\\\\x");
        for (int k = 0; k < st->lengths[i]; k++) {
            char h[2] = { hex[(unsigned char)v[k] >> 4], hex[(unsigned char)v[k] & 15] };
            put(o, h, 2);
        }
        return;
    }
    for (int k = 0; k < st->lengths[i]; k++) {
        char c = v[k];
        const char *esc = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : NULL;
        if (esc)
            puts_(o, esc);
        else
            put(o, &c, 1);
    }
}

static int bulk_row(struct pg_stmt *st)
{
    struct out o = { .s = st->rows, .n = st->n_rows, .cap = st->cap_rows };
    for (int i = 0; i < st->n_params; i++) {
        if (i)
            put(&o, "\t", 1);
        copy_value(&o, st, i);
    }
    if (st->after) {
        char seq[32];
        snprintf(seq, sizeof(seq), "\t%lld", (long long)++st->seq);
        puts_(&o, seq);
    }
    put(&o, "\n", 1);
    st->rows = o.s;
    st->n_rows = o.n;
    st->cap_rows = o.cap;
    if (!st->waiting) {
        st->waiting = 1;
        BL_PUSH(st->pc->bulk, st->pc->n_bulk, st->pc->cap_bulk, st);
    }
    /* a large import sends its rows in parts */
    return st->n_rows > (8u << 20) ? flush_bulk(st->pc) : 0;
}

/* Runs sql, several statements, without results: 0, or -1 (pc->err). */
static int exec_quiet(struct pg_conn *pc, const char *sql)
{
    PGresult *r = pq.PQexec(pc->conn, sql);
    ExecStatusType s = pq.PQresultStatus(r);
    int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
    if (!ok)
        result_error(pc, r);
    pq.PQclear(r);
    return ok ? 0 : -1;
}

static int copy_out(struct pg_conn *pc, struct pg_stmt *st)
{
    if (st->setup && exec_quiet(pc, st->setup) < 0)
        return -1;
    PGresult *r = pq.PQexec(pc->conn, st->copy_head);
    int ok = pq.PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok)
        result_error(pc, r);
    pq.PQclear(r);
    if (!ok)
        return -1;
    int sent = pq.PQputCopyData(pc->conn, st->rows, (int)st->n_rows) == 1;
    pq.PQputCopyEnd(pc->conn, sent ? NULL : "bootlog could not send the rows");
    int rc = 0;
    while ((r = pq.PQgetResult(pc->conn))) {
        if (pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
            result_error(pc, r);
            rc = -1;
        }
        pq.PQclear(r);
    }
    if (!sent && rc == 0) {
        set_error(pc, pq.PQerrorMessage(pc->conn), NULL);
        rc = -1;
    }
    return rc == 0 && st->after ? exec_quiet(pc, st->after) : rc;
}

/* Sends the rows bulk statements hold. */
static int flush_bulk(struct pg_conn *pc)
{
    int rc = 0;
    for (size_t i = 0; i < pc->n_bulk; i++) {
        struct pg_stmt *st = pc->bulk[i];
        if (rc == 0 && st->n_rows)
            rc = copy_out(pc, st);
        st->n_rows = 0;
        st->waiting = 0;
    }
    pc->n_bulk = 0;
    return rc;
}

static void drop_result(struct pg_stmt *st)
{
    free(st->decoded);
    st->decoded = NULL;
    pq.PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->ran = 0;
}

int bl_pg_step(struct pg_stmt *st)
{
    struct pg_conn *pc = st->pc;
    if (st->copy_head)
        return bulk_row(st) < 0 ? BL_ERROR : BL_DONE;
    if (!st->ran) {
        if (flush_bulk(pc) < 0)
            return BL_ERROR;
        /* a statement that runs again is prepared on the server, so that
         * it is not planned each time (a query per boot: a millisecond) */
        if (st->runs++ == 1) {
            static int made;
            char name[24];
            snprintf(name, sizeof(name), "bl_%d", ++made);
            PGresult *r = pq.PQprepare(pc->conn, name, st->sql, st->n_params, st->types);
            if (pq.PQresultStatus(r) == PGRES_COMMAND_OK)
                snprintf(st->prepared, sizeof(st->prepared), "%s", name);
            pq.PQclear(r);
        }
        if (st->prepared[0])
            st->res = pq.PQexecPrepared(pc->conn, st->prepared, st->n_params, (const char *const *)st->values,
                                        st->lengths, st->formats, 0);
        else
            st->res = pq.PQexecParams(pc->conn, st->sql, st->n_params, st->types,
                                      (const char *const *)st->values, st->lengths, st->formats, 0);
        st->ran = 1;
        st->row = -1;
        ExecStatusType s = pq.PQresultStatus(st->res);
        if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
            result_error(pc, st->res);
            pq.PQclear(st->res);
            st->res = NULL;
            return BL_ERROR;
        }
    }
    if (!st->res)
        return BL_ERROR;
    if (pq.PQresultStatus(st->res) == PGRES_TUPLES_OK && st->row + 1 < pq.PQntuples(st->res)) {
        st->row++;
        return BL_ROW;
    }
    st->row = pq.PQntuples(st->res);
    return BL_DONE;
}

int bl_pg_busy(struct pg_stmt *st)
{
    return st->ran && st->res && st->row >= 0 && st->row < pq.PQntuples(st->res);
}

void bl_pg_reset(struct pg_stmt *st)
{
    drop_result(st);
}

void bl_pg_finalize(struct pg_stmt *st)
{
    if (!st)
        return;
    if (st->waiting) {
        /* its rows go now; an error shows at the next statement */
        struct pg_conn *pc = st->pc;
        if (st->n_rows && copy_out(pc, st) < 0)
            bl_error("%s", pc->err);
        for (size_t i = 0; i < pc->n_bulk; i++)
            if (pc->bulk[i] == st)
                pc->bulk[i] = pc->bulk[--pc->n_bulk];
    }
    drop_result(st);
    bl_pg_clear(st);
    if (st->prepared[0] && !st->pc->closing && pq.PQtransactionStatus(st->pc->conn) != PQTRANS_INERROR) {
        char sql[48];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->prepared);
        pq.PQclear(pq.PQexec(st->pc->conn, sql));
    }
    for (int i = 0; i < st->n_params; i++)
        free(st->names ? st->names[i] : NULL);
    free(st->names);
    free(st->values);
    free(st->lengths);
    free(st->formats);
    free(st->types);
    free(st->sql);
    free(st->copy_head);
    free(st->setup);
    free(st->after);
    free(st->rows);
    free(st);
}

int bl_pg_column_count(struct pg_stmt *st)
{
    return st->res ? pq.PQnfields(st->res) : 0;
}

const char *bl_pg_column_name(struct pg_stmt *st, int i)
{
    return st->res ? pq.PQfname(st->res, i) : NULL;
}

static int current(const struct pg_stmt *st, int i)
{
    return st->res && st->row >= 0 && st->row < pq.PQntuples(st->res) && i >= 0 && i < pq.PQnfields(st->res);
}

int bl_pg_column_type(struct pg_stmt *st, int i)
{
    if (!current(st, i) || pq.PQgetisnull(st->res, st->row, i))
        return BL_NULL;
    switch (pq.PQftype(st->res, i)) {
    case BOOLOID: case INT8OID: case INT2OID: case INT4OID: case OIDOID:
        return BL_INTEGER;
    case FLOAT4OID: case FLOAT8OID:
        return BL_FLOAT;
    case NUMERICOID: {   /* sum() and avg() of integers: an integer when it is one */
        const char *v = pq.PQgetvalue(st->res, st->row, i);
        return strchr(v, '.') ? BL_FLOAT : BL_INTEGER;
    }
    case BYTEAOID:
        return BL_BLOB;
    default:
        return BL_TEXT;
    }
}

const char *bl_pg_value(struct pg_stmt *st, int i, int *len)
{
    if (!current(st, i) || pq.PQgetisnull(st->res, st->row, i)) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = pq.PQgetlength(st->res, st->row, i);
    return pq.PQgetvalue(st->res, st->row, i);
}

static int unhex(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* A bytea column's bytes, decoded in place from its "\x..." text (the
 * decoded form is shorter; the result keeps it until it is cleared). */
const void *bl_pg_blob(struct pg_stmt *st, int i, int *len)
{
    char *v = (char *)bl_pg_value(st, i, len);
    if (!v)
        return NULL;
    if (!st->decoded) {
        st->decoded = bl_xmalloc((size_t)pq.PQnfields(st->res) * sizeof(*st->decoded));
        memset(st->decoded, 0, (size_t)pq.PQnfields(st->res) * sizeof(*st->decoded));
    }
    if (st->decoded[i] != st->row + 1 && v[0] == '\\' && v[1] == 'x') {
        int n = 0;
        for (const char *h = v + 2; h[0] && h[1]; h += 2)
            v[n++] = (char)(unhex(h[0]) << 4 | unhex(h[1]));
        pq.PQsetvalue(st->res, st->row, i, v, n);   /* kept NUL-terminated */
        st->decoded[i] = st->row + 1;
        v = pq.PQgetvalue(st->res, st->row, i);
        if (len)
            *len = n;
        return v;
    }
    if (len)
        *len = pq.PQgetlength(st->res, st->row, i);
    return v;
}

/* ------------------------------------------------------------ connections */

int bl_pg_exec(struct bl_db *db, const char *sql)
{
    struct pg_conn *pc = db->pg;
    if (flush_bulk(pc) < 0) {
        bl_error("%s: %s", db->name, bl_pg_errmsg(db));
        return -1;
    }
    char *tr = translate(sql, 0, NULL, NULL);
    int rc = exec_quiet(pc, tr);
    free(tr);
    if (rc < 0 && strcmp(sql, "ROLLBACK") != 0)
        bl_error("%s: %s", db->name, bl_pg_errmsg(db));
    return rc;
}

int bl_pg_begin(struct bl_db *db)
{
    char timeout[64];
    snprintf(timeout, sizeof(timeout), "SET LOCAL lock_timeout = %d", BUSY_TIMEOUT_MS);
    return bl_pg_exec(db, "BEGIN") < 0 || bl_pg_exec(db, timeout) < 0 || bl_pg_exec(db, WRITE_LOCK) < 0 ? -1 : 0;
}

static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;   /* "relation already exists, skipping" and the like */
}

/* The connection as messages show it: postgresql://user@host:port/db. */
static char *display_name(PGconn *conn)
{
    char buf[512];
    const char *host = pq.PQhost(conn);
    snprintf(buf, sizeof(buf), "postgresql://%s@%s:%s/%s", pq.PQuser(conn), host && *host ? host : "localhost",
             pq.PQport(conn), pq.PQdb(conn));
    return bl_xstrdup(buf);
}

/* A password in the connection string would show in ps, in shell
 * histories and in CI logs: libpq's password file, a service file or
 * PGPASSWORD are the ways to give one. */
static int has_password(const char *conninfo)
{
    char *err = NULL;
    PQconninfoOption *opts = pq.PQconninfoParse(conninfo, &err);
    int found = 0;
    if (!opts) {
        bl_error("--db: not a PostgreSQL connection string: %.*s", (int)strcspn(err ? err : "?", "\n"),
                 err ? err : "?");
        pq.PQfreemem(err);
        return -1;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            found = 1;
    pq.PQconninfoFree(opts);
    if (found) {
        bl_error("--db: the connection string holds a password, which ps and logs would show; "
                 "put it in ~/.pgpass or a service file (see the README)");
        return -1;
    }
    return 0;
}

/* The schema's version, 0 for a database without bootlog's tables; -1
 * for one with tables of something else (refused). */
static int schema_version(struct bl_db *db, int64_t *version)
{
    int64_t n;
    *version = 0;
    if (bl_db_int(db, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                      "AND tablename = 'bootlog_schema'", 0, NULL, &n) < 0)
        return -1;
    if (n == 0) {
        if (bl_db_int(db, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()", 0,
                      NULL, &n) < 0)
            return -1;
        if (n > 0) {
            bl_error("%s: a PostgreSQL database with tables that are not bootlog's; refusing to touch it", db->name);
            return -1;
        }
        return 0;
    }
    int64_t app;
    if (bl_db_int(db, "SELECT application_id FROM bootlog_schema", 0, NULL, &app) < 0 ||
        bl_db_int(db, "SELECT version FROM bootlog_schema", 0, NULL, version) < 0)
        return -1;
    if (app != BL_APPLICATION_ID) {
        bl_error("%s: its bootlog_schema table is not bootlog's; refusing to touch it", db->name);
        return -1;
    }
    return 0;
}

/* Each migration the database lacks, in its own transaction, under the
 * writers' lock (another bootlog may be migrating it at the same time). */
static int migrate(struct bl_db *db)
{
    for (int i = 0; i < bl_migration_count; i++) {
        const struct bl_migration *m = &bl_migrations[i];
        int64_t version;
        if (bl_pg_begin(db) < 0)
            return -1;
        if (bl_pg_exec(db, "CREATE TABLE IF NOT EXISTS bootlog_schema (application_id BIGINT NOT NULL, "
                           "version BIGINT NOT NULL)") < 0 ||
            bl_db_int(db, "SELECT version FROM bootlog_schema", 0, NULL, &version) < 0)
            goto fail;
        if (version >= m->version) {
            if (bl_pg_exec(db, "COMMIT") < 0)
                return -1;
            continue;
        }
        char *ddl = translate(m->sql, 1, NULL, NULL);
        char set[160];
        snprintf(set, sizeof(set), "DELETE FROM bootlog_schema; INSERT INTO bootlog_schema VALUES (%d, %d)",
                 BL_APPLICATION_ID, m->version);
        int ok = exec_quiet(db->pg, ddl) == 0;
        if (!ok)
            bl_error("%s: migration %s: %s", db->name, m->name, db->pg->err);
        free(ddl);
        if (!ok || bl_pg_exec(db, set) < 0 || bl_pg_exec(db, "COMMIT") < 0)
            goto fail;
    }
    return 0;
fail:
    bl_pg_exec(db, "ROLLBACK");
    return -1;
}

struct bl_db *bl_pg_open(const char *conninfo, enum bl_db_mode mode)
{
    if (load_libpq() < 0 || has_password(conninfo) < 0)
        return NULL;
    PGconn *conn = pq.PQconnectdb(conninfo);
    if (pq.PQstatus(conn) != CONNECTION_OK) {
        const char *msg = pq.PQerrorMessage(conn);
        bl_error("PostgreSQL: cannot connect: %.*s", (int)strcspn(msg, "\n"), msg);
        pq.PQfinish(conn);
        return NULL;
    }
    pq.PQsetNoticeProcessor(conn, no_notices, NULL);
    struct bl_db *db = bl_xmalloc(sizeof(*db));
    struct pg_conn *pc = bl_xmalloc(sizeof(*pc));
    *pc = (struct pg_conn){ .conn = conn };
    *db = (struct bl_db){ .name = display_name(conn), .pg = pc };
    int64_t version, latest = bl_migrations[bl_migration_count - 1].version;

    if (bl_pg_exec(db, "SET client_min_messages = warning") < 0)
        goto fail;
    /* bootlog's queries are small, and the planner's costs of the larger
     * ones (a CASE over every boot) make the server compile them first:
     * 0.2 s of JIT for a query of 20 ms. (No jit before PostgreSQL 11:
     * then this fails, harmlessly.) */
    exec_quiet(pc, "SET jit = off");
    if (schema_version(db, &version) < 0)
        goto fail;
    if (version > latest) {
        bl_error("%s: written by a newer bootlog (schema %lld; this bootlog knows up to %lld): upgrade bootlog",
                 db->name, (long long)version, (long long)latest);
        goto fail;
    }
    if (mode == BL_DB_READ) {
        if (version == 0) {
            bl_error("%s: no bootlog database there (create it with 'bootlog import')", db->name);
            goto fail;
        }
        if (version < latest) {
            bl_error("%s: schema %lld is older than this bootlog's %lld: run 'bootlog import' once to upgrade it",
                     db->name, (long long)version, (long long)latest);
            goto fail;
        }
        /* one snapshot for all of a reader's queries: never half an import */
        if (bl_pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0)
            goto fail;
        pc->in_read = 1;
        return db;
    }
    if (version < latest && migrate(db) < 0)
        goto fail;
    return db;
fail:
    bl_db_close(db);
    return NULL;
}

void bl_pg_analyze(struct bl_db *db)
{
    exec_quiet(db->pg, "ANALYZE");
}

void bl_pg_closing(struct bl_db *db)
{
    db->pg->closing = 1;
}

void bl_pg_close(struct bl_db *db)
{
    struct pg_conn *pc = db->pg;
    if (!pc)
        return;
    if (pc->in_read)
        bl_pg_exec(db, "COMMIT");
    free(pc->bulk);
    pq.PQfinish(pc->conn);
    free(pc);
    db->pg = NULL;
}
