-- 003: each boot's built-in phases, worked out once at import.
-- Phases come from markers found by walking a boot's lines several times
-- (bootlog phases, compare, plot, report); comparing two labels of a
-- hundred boots each did that for 200 boots on every run. They depend only
-- on what import stored (lines, calls, the console estimate), so import
-- stores them, as read (corrected = 0) and without the console's cost
-- (corrected = 1). A boot without rows (an older database) is worked out
-- on the fly as before. User phases (--phase) are never stored.
CREATE TABLE timeline (
    boot_id     INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    corrected   INTEGER NOT NULL,
    host        INTEGER NOT NULL,   -- 1: the host clock; 0: printk time
    total_ns    INTEGER NOT NULL,   -- the end of the timeline
    length_ns   INTEGER,            -- bl_boot_length_ns: the whole boot, comparable across boots
    PRIMARY KEY (boot_id, corrected)
) WITHOUT ROWID;

CREATE TABLE phase (
    boot_id     INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    corrected   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,   -- timeline order
    name        TEXT NOT NULL,
    depth       INTEGER NOT NULL,   -- 1: a part of the phase before it
    start_ns    INTEGER NOT NULL,
    end_ns      INTEGER NOT NULL,
    PRIMARY KEY (boot_id, corrected, seq)
) WITHOUT ROWID;
