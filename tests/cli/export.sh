#!/bin/sh
# bootlog export --format kcidb: KCIDB test objects of the boots, valid
# against KCIDB's I/O schema v5.3 (tests/kcidb, from kcidb-io) by a JSON
# Schema validator (Debian's python3-jsonschema), with the figures the
# boot_summary view has; the same ids when exported again; errors.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
cd "$SCRATCH" || exit 1
SCHEMA=$(dirname "$0")/../kcidb/schema-v5.3.json

# validate FILE: "valid", or the validator's complaint
validate() {
    python3 - "$SCHEMA" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
print("valid" if not errors else "; ".join(f"{list(e.path)}: {e.message}" for e in errors)[:400])
PY
}

(cd "$Q" && import_boot v192 6.1.192-verbose-1) >/dev/null || fail "import"
(cd "$Q" && "$B" import --label q --meta commit=abc --meta kcidb_build_id=lab_x:build-7 \
    6.1.192-quiet-1.console.grabserial) >/dev/null || fail "import quiet"
"$B" capture -n 1 --label cap --timeout 1 -- sh -c \
    'printf "[    0.000000] Linux version 6.1.0-c (c)\n"; exec sleep 5' >/dev/null 2>&1   # times out: status ERROR
"$B" export --format kcidb --include-incomplete >all.json || fail "export"
check_eq "schema" valid "$(validate all.json)"

# the validator is not a rubber stamp: a test without its origin, a path
# KCIDB does not allow
sed 's/"origin": "bootlog", //' all.json >no-origin.json
case $(validate no-origin.json) in *"'origin' is a required property"*) ;; *) fail "no-origin.json passed" ;; esac
sed 's/"path": "boot.time"/"path": "boot time"/' all.json >bad-path.json
case $(validate bad-path.json) in *"does not match"*) ;; *) fail "bad-path.json passed" ;; esac

# fields, exactly: per test id, build, path, status, value; and the first
# boot's own figures against boot_summary
python3 - all.json >tests.txt <<'PY' || fail "reading all.json"
import json, sys
doc = json.load(open(sys.argv[1]))
print("version", doc["version"]["major"], doc["version"]["minor"])
for t in doc["tests"]:
    # (a timed-out capture's figures are the host's time: not golden)
    value = t["number"]["value"] if t["status"] == "DONE" else "(measured)"
    print(t["id"].split("-", 2)[2], t["build_id"], t["status"], value, t["number"]["unit"],
          t["duration"] == t["number"]["value"], "log_excerpt" in t, sorted(t["misc"]["bootlog"]))
PY
golden kcidb-tests.txt cat tests.txt
check_eq "whole boot = boot_summary" "$(sql 'SELECT whole_boot_ns / 1e9 FROM boot_summary WHERE boot_id = 1' | sed 's/0*$//')" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tests"][0]["number"]["value"])' all.json)"
python3 - all.json >first.txt <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["tests"]
print(t[0]["log_excerpt"], end="")
print(json.dumps(t[6]["misc"]["bootlog"]["meta"], sort_keys=True))
print(len({x["id"] for x in t}) == len(t))
PY
check_eq "log excerpt, meta, unique ids" "Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)
Run /init as init process
reboot: Power down
{\"commit\": \"abc\", \"kcidb_build_id\": \"lab_x:build-7\"}
True" "$(cat first.txt)"

# the same boots again: the same ids (KCIDB merges a resubmission)
"$B" export --include-incomplete >again.json || fail "export again"
cmp -s all.json again.json || fail "a second export differs"
"$B" export --boot 1 --origin my_lab --build-id my_lab:k1 >one.json || fail "export --boot 1"
check_eq "one boot's tests" "6 my_lab:bootlog-" "$(grep -c '"path"' one.json) $(grep -o '"id": "my_lab:bootlog-' one.json | head -1 | cut -d'"' -f4)"
check_eq "schema, one" valid "$(validate one.json)"

expect_error 2 "^bootlog: export: --format: 'csv' is not a format export writes \(kcidb\)$" "$B" export --format csv
expect_error 2 "^bootlog: export: --origin: 'My-Lab' is not a KCIDB origin \(a-z, 0-9, _\)$" "$B" export --origin My-Lab
expect_error 2 "^bootlog: export: --build-id: 'k1' is not ORIGIN:ID \(ORIGIN of a-z, 0-9, _\)$" "$B" export --build-id k1
finish
