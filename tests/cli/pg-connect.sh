#!/bin/sh
# The ways libpq names a server, each reaching the same database with the
# same output: a key=value string, a postgresql:// URI, a service file
# (PGSERVICEFILE), PG* variables, $BOOTLOG_DB. A password in --db is
# refused without being echoed (libpq's password file, service files and
# PGPASSWORD are the ways); a server that is not there is one line. And
# db-safety's cases on a server: a database that is not bootlog's, one from
# a newer bootlog, one not made yet, each refused untouched.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
cd "$SCRATCH" || exit 1
(cd "$Q" && import_boot v 6.1.192-verbose-1) >/dev/null || fail "import"
"$B" boots --format csv >want.csv || fail "boots"
[ "$(wc -l <want.csv)" -eq 2 ] || fail "boots: $(cat want.csv)"

host=$(echo "$PG_SERVER" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
port=$(echo "$PG_SERVER" | sed -n 's/.*port=\([^ ]*\).*/\1/p')
user=$(echo "$PG_SERVER" | sed -n 's/.*user=\([^ ]*\).*/\1/p')
dbname=${BOOTLOG_DB##*dbname=}
# same WHAT ARGS...: `bootlog ARGS... boots` prints what the test's --db does
same() {
    what=$1
    shift
    "$@" boots --format csv >got.csv 2>got.err || fail "$what: $(cat got.err)"
    cmp -s want.csv got.csv || fail "$what: boots differ: $(cat got.csv got.err)"
}
same "key=value" "$B" --db "host=$host port=$port user=$user dbname=$dbname"
same "URI" "$B" --db "postgresql://$user@/$dbname?host=$host&port=$port"
printf '[bootlog_test]\nhost=%s\nport=%s\nuser=%s\ndbname=%s\n' "$host" "$port" "$user" "$dbname" >services.conf
same "service file" env PGSERVICEFILE="$SCRATCH/services.conf" "$B" --db service=bootlog_test
same "PG* variables" env PGHOST="$host" PGPORT="$port" PGUSER="$user" PGDATABASE="$dbname" "$B" --db postgresql://
same "BOOTLOG_DB" env PGSERVICEFILE="$SCRATCH/services.conf" BOOTLOG_DB=service=bootlog_test "$B"

# messages name the server as postgresql://USER@HOST:PORT/DB
"$B" boots --boot 99 2>err.txt
check_eq "named" "bootlog: postgresql://$user@$host:$port/$dbname: no boot 99" "$(cat err.txt)"

expect_error 1 "^bootlog: --db: the connection string holds a password, which ps and logs would show; " \
    "$B" boots --db "postgresql://$user:s3cret@/$dbname?host=$host&port=$port"
grep -q s3cret "$SCRATCH/err" && fail "the password was echoed: $(cat "$SCRATCH/err")"
expect_error 1 "^bootlog: --db: the connection string holds a password" \
    "$B" boots --db "host=$host port=$port password=s3cret dbname=$dbname"
grep -q s3cret "$SCRATCH/err" && fail "the password was echoed: $(cat "$SCRATCH/err")"
expect_error 1 "^bootlog: PostgreSQL: cannot connect: " "$B" boots --db "host=$SCRATCH/nowhere port=1 dbname=x"

# a database with tables of its own: refused, untouched
OTHER=$(new_db other)
sql "$OTHER" 'CREATE TABLE inventory (id INTEGER); INSERT INTO inventory VALUES (1)' >/dev/null
expect_error 1 "^bootlog: postgresql://[^ ]*_other: a PostgreSQL database with tables that are not bootlog's; refusing to touch it$" \
    "$B" import --db "$OTHER" "$Q/6.1.192-quiet-1.dmesg"
check_eq "other's tables" "inventory" "$(sql "$OTHER" "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")"
# a read verb on an empty database creates nothing
EMPTY=$(new_db empty)
expect_error 1 "^bootlog: postgresql://[^ ]*_empty: no bootlog database there \(create it with 'bootlog import'\)$" \
    "$B" boots --db "$EMPTY"
check_eq "empty stays empty" 0 "$(sql "$EMPTY" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
# a database from a newer bootlog
sql 'UPDATE bootlog_schema SET version = 99' >/dev/null
expect_error 1 '^bootlog: bootlog.db: written by a newer bootlog \(schema 99; this bootlog knows up to 12\): upgrade bootlog$' \
    "$B" import "$Q/6.1.192-quiet-2.dmesg"
expect_error 1 '^bootlog: bootlog.db: written by a newer bootlog' "$B" top-initcalls
check_eq "boots in the newer database" 1 "$(sql 'SELECT count(*) FROM boot')"
finish
