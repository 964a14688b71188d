# lib.sh: helpers for the CLI tests, sourced by each tests/cli/*.sh.
# The environment (set by tests/CMakeLists.txt): BOOTLOG (the binary),
# SAMPLES (samples/), REAL_WORLD, EXPECTED (tests/cli/expected/), SCRATCH
# (a directory of the test's own, emptied here).
set -u
: "${BOOTLOG:?}" "${SAMPLES:?}" "${EXPECTED:?}" "${SCRATCH:?}"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
# BOOTLOG_BACKEND=pg (the cli-pg/ tests): the same test against a
# PostgreSQL server, a database of its own on the server scripts/test
# starts ($BOOTLOG_TEST_PG, a libpq connection string).
BACKEND=${BOOTLOG_BACKEND:-sqlite}
if [ "$BACKEND" = pg ]; then
    if [ -z "${BOOTLOG_TEST_PG:-}" ]; then
        echo "SKIP: no PostgreSQL server for the test (scripts/test starts one: BOOTLOG_TEST_PG)" >&2
        exit 77
    fi
    PG_SERVER=${BOOTLOG_TEST_PG% dbname=*}
fi

# new_db NAME: a new, empty database's --db: a file in the scratch
# directory, or a database on the server.
new_db() {
    if [ "$BACKEND" = pg ]; then
        d=$(printf 'bl_%s_%s' "$(basename "$SCRATCH")" "$1" | tr -c 'a-zA-Z0-9_' '_' | tr 'A-Z' 'a-z')
        psql "$BOOTLOG_TEST_PG" -qX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d" \
            >/dev/null 2>&1 || { echo "cannot create database $d" >&2; exit 1; }
        # the tests' own queries use SQLite's group_concat
        psql "$PG_SERVER dbname=$d" -qX -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'SQL' || { echo "cannot set up $d" >&2; exit 1; }
CREATE FUNCTION bl_gc(acc text, v anyelement, sep text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || sep || v::text END $$;
CREATE FUNCTION bl_gc1(acc text, v anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT bl_gc(acc, v, ',') $$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = bl_gc, STYPE = text);
CREATE AGGREGATE group_concat(anyelement) (SFUNC = bl_gc1, STYPE = text);
SQL
        echo "$PG_SERVER dbname=$d"
    else
        echo "$SCRATCH/$1.db"
    fi
}

# sqlite_only WHY: the rest of the test is about SQLite files.
sqlite_only() {
    if [ "$BACKEND" = pg ]; then
        echo "SKIP on PostgreSQL: $*" >&2
        exit 77
    fi
}

export BOOTLOG_DB
BOOTLOG_DB=$(new_db bootlog)

# sql [DB] QUERY: a query's rows on the test's database (or DB), as
# sqlite3 prints them: columns between |, NULL empty.
# (with no QUERY, the statements come from stdin)
sql() {
    if [ $# -eq 2 ]; then db=$1; shift; else db=$BOOTLOG_DB; fi
    if [ "$BACKEND" = pg ]; then
        if [ $# -eq 0 ]; then psql "$db" -AtqX -F'|' -v ON_ERROR_STOP=1 -f -
        else psql "$db" -AtX -F'|' -v ON_ERROR_STOP=1 -c "$1"; fi
    elif [ $# -eq 0 ]; then
        sqlite3 "$db"
    else
        sqlite3 "$db" "$1"
    fi
}
Q="$SAMPLES/qemu-tcg"
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# golden NAME COMMAND...: the command's stdout must equal expected/NAME
# (BOOTLOG_UPDATE_GOLDEN=1 rewrites it).
golden() {
    name=$1
    shift
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "$name: exit $? from $*: $(cat "$SCRATCH/err")"
    if [ "${BOOTLOG_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$SCRATCH/out" "$EXPECTED/$name"
    elif ! diff -u "$EXPECTED/$name" "$SCRATCH/out"; then
        fail "$name: output differs"
    fi
}

# db_check [DB]: "ok" if the database is whole: SQLite's integrity_check,
# and no row refers to a boot, stream or input that is not there (neither
# backend enforces the schema's references).
db_check() {
    db=${1:-$BOOTLOG_DB}
    if [ "$BACKEND" = sqlite ]; then
        r=$(sqlite3 "$db" 'PRAGMA integrity_check')
        [ "$r" = ok ] || { echo "$r"; return; }
    fi
    sql "$db" "SELECT CASE WHEN
        (SELECT count(*) FROM line l WHERE NOT EXISTS (SELECT 1 FROM stream s WHERE s.id = l.stream_id))
      + (SELECT count(*) FROM stream s WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE b.id = s.boot_id)
                                          OR NOT EXISTS (SELECT 1 FROM input i WHERE i.id = s.input_id))
      + (SELECT count(*) FROM call c WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE b.id = c.boot_id)
                                        OR NOT EXISTS (SELECT 1 FROM stream s WHERE s.id = c.stream_id))
      + (SELECT count(*) FROM uart u WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE b.id = u.boot_id))
      + (SELECT count(*) FROM phase p WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE b.id = p.boot_id))
      + (SELECT count(*) FROM boot_meta m WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE b.id = m.boot_id))
      = 0 THEN 'ok' ELSE 'rows refer to missing ones' END"
}

# The database's whole content, to show that a failed command changed nothing.
db_state() {
    if [ "$BACKEND" = pg ] && [ "$(sql "$1" "SELECT count(*) FROM pg_tables WHERE tablename = 'bootlog_schema'")" = 0 ]; then
        echo absent   # no bootlog schema: nothing was made
    elif [ "$BACKEND" = pg ]; then
        # the rows; identity sequences move on a rolled-back insert, and
        # are not data
        pg_dump --data-only "$1" | grep -v '^--\|setval\|^.restrict\|^.unrestrict' | sha256sum
    elif [ -e "$1" ]; then
        sqlite3 "$1" .dump | sha256sum
    else
        echo absent
    fi
}

# expect_error STATUS PATTERN COMMAND...: the command must exit with STATUS,
# print exactly one line on stderr that matches PATTERN (grep -E), and
# leave $BOOTLOG_DB as it was.
expect_error() {
    want=$1 pattern=$2
    shift 2
    before=$(db_state "$BOOTLOG_DB")
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    status=$?
    # messages name a server's database postgresql://user@host:port/DB:
    # the patterns, written for files, see the test's database as bootlog.db
    [ "$BACKEND" = pg ] && sed -i 's|postgresql://[^ ]*/bl_[a-z0-9_]*_bootlog|bootlog.db|' "$SCRATCH/err"
    check_eq "exit status of $*" "$want" "$status"
    check_eq "stderr lines of $*" 1 "$(wc -l <"$SCRATCH/err")"
    grep -Eq -- "$pattern" "$SCRATCH/err" || fail "$*: stderr '$(cat "$SCRATCH/err")' does not match '$pattern'"
    check_eq "database after $*" "$before" "$(db_state "$BOOTLOG_DB")"
}

# import_boot LABEL NAME: one sample boot with its three streams.
import_boot() {
    "$BOOTLOG" import --label "$1" "$2.console.grabserial" --firmware "$2.seabios.grabserial" \
        --dmesg "$2.dmesg"
}

# large_dmesg ROUNDS OUT: a large dmesg, a sample's boot ROUNDS times with
# printk time moved on, whose import takes long enough to be killed.
large_dmesg() {
    awk -v rounds="$1" '{ line[NR] = $0 } END {
        for (r = 0; r < rounds; r++)
            for (i = 1; i <= NR; i++) {
                s = line[i]
                if (match(s, /^\[ *[0-9]+\.[0-9]+\]/))
                    s = sprintf("[%12.6f]", substr(s, 2, RLENGTH - 2) + r * 3.0) substr(s, RLENGTH + 1)
                print s
            }
    }' "$Q/6.1.192-verbose-1.dmesg" >"$2"
}

# await_writer: waits (up to 5 s) until a writer is writing the test's
# database: it holds the writers' lock (PostgreSQL), or its -wal file has
# grown (SQLite).
await_writer() {
    for _ in $(seq 500); do
        if [ "$BACKEND" = pg ]; then
            [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted" 2>/dev/null)" = 1 ] &&
                return
        else
            [ "$(stat -c %s "$BOOTLOG_DB-wal" 2>/dev/null || echo 0)" -gt 200000 ] && return
        fi
        sleep 0.01
    done
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    exit 0
}
