-- Schema 12: what a boot's firmware and init system say of their own time,
-- the userspace's units, and phases that are durations with no place on
-- the timeline.
--
-- A boot may have a fourth stream, `userspace`: a file of systemd-analyze
-- output given with import --userspace. SQLite cannot change a CHECK, so
-- the table is made again (views over it first dropped, then made again).
DROP VIEW stream_line;
CREATE TABLE stream_012 (
    id              INTEGER PRIMARY KEY,
    boot_id         INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (name IN ('console', 'firmware', 'dmesg', 'userspace')),
    input_id        INTEGER NOT NULL REFERENCES input(id),
    first_line_id   INTEGER NOT NULL,
    last_line_id    INTEGER NOT NULL,
    line_count      INTEGER NOT NULL,
    UNIQUE (boot_id, name)
);
INSERT INTO stream_012 (id, boot_id, name, input_id, first_line_id, last_line_id, line_count)
    SELECT id, boot_id, name, input_id, first_line_id, last_line_id, line_count FROM stream;
DROP TABLE stream;
ALTER TABLE stream_012 RENAME TO stream;
-- postgresql: SELECT setval(pg_get_serial_sequence('stream', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM stream), false);
CREATE VIEW stream_line AS
    SELECT s.boot_id, s.name AS stream, s.input_id, l.*
    FROM stream s JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id;

-- The accounts (parsers/accounts.c reads them, src/phases.c makes phases
-- of them). A row is one figure a program printed of its own clock:
--   source  u-boot (bootstage report), coreboot (cbmem -t, -T),
--           depthcharge (its exit line), fpdt (ACPI FPDT, the *_ns files),
--           systemd ("Startup finished in ...")
--   kind    mark: a time on the source's clock (us since its reset);
--           accumulated: a total of time spent in one activity;
--           duration: a span the source itself measured (systemd's parts);
--           total: the source's sum
--   table_no  which of the source's tables in the boot (a report printed
--           twice); the phases use the last
CREATE TABLE account (
    boot_id   INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    source    TEXT NOT NULL,
    table_no  INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('mark', 'accumulated', 'duration', 'total')),
    name      TEXT NOT NULL,
    value_us  INTEGER NOT NULL,
    line_id   INTEGER NOT NULL,
    PRIMARY KEY (boot_id, seq)
) WITHOUT ROWID;

-- The userspace's units (systemd-analyze blame, critical-chain): how long
-- each took to start and, from critical-chain, when it became active
-- (us since userspace started). NULL: that output did not say.
CREATE TABLE unit (
    boot_id   INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    time_us   INTEGER,
    active_us INTEGER,
    line_id   INTEGER NOT NULL,
    PRIMARY KEY (boot_id, name)
) WITHOUT ROWID;

-- A phase with placed = 0 is a duration only: an accumulated total of
-- U-Boot's, or another program's account of a phase (systemd's kernel,
-- FPDT's firmware). Its start_ns is the start of the phase it belongs to.
ALTER TABLE phase ADD COLUMN placed INTEGER NOT NULL DEFAULT 1;
