-- bootlog schema, version 1.
--
-- Units: every time is an integer with its unit in the column name
-- (_ns nanoseconds, _us microseconds). NULL means "not known", never zero.
-- Host times (_host_ns) are on the capture's clock: t = 0 is when the
-- capture started (grabserial's and bootlog's own stamps) or, for logs with
-- wall-clock stamps, the first stamp. printk times (_printk_us) are the
-- kernel's own clock, printk 0 = kernel start.
--
-- Example: the ten slowest initcalls of boot 1, as `bootlog top-initcalls`
-- would rank them:
--   SELECT function, reported_us FROM initcall
--    WHERE boot_id = 1 AND complete = 1 ORDER BY reported_us DESC LIMIT 10;

-- One boot of one machine. Boots are immutable once imported.
CREATE TABLE boot (
    id                  INTEGER PRIMARY KEY,
    label               TEXT,               -- user's name for a configuration; many boots share one
    source              TEXT NOT NULL,      -- where it came from: the main file's name, or 'capture'
    content_sha256      TEXT NOT NULL UNIQUE, -- of its input files' bytes (and, for a file of several
                                            --   boots, its line range): re-import finds the same boot
    imported_at         TEXT NOT NULL,      -- UTC, ISO 8601
    kernel_version      TEXT,               -- uname -r, from "Linux version X ..."
    kernel_cmdline      TEXT,               -- from "Command line: ..."
    firmware_version    TEXT,               -- e.g. SeaBIOS "1.16.2-debian-1.16.2-1", "U-Boot 2017.09"
    handoff_host_ns     INTEGER,            -- firmware hands over to the next stage ("Booting from ...")
    userspace_printk_us INTEGER,            -- "Run /init as init process" (or equivalent)
    userspace_host_ns   INTEGER,            -- the same line's arrival, when it arrived live
    line_count          INTEGER NOT NULL,   -- lines in all streams
    initcall_count      INTEGER NOT NULL,   -- rows of kind 'initcall' in call for this boot
    unrecognized_count  INTEGER NOT NULL,   -- non-blank lines no framing or recognizer understood
    -- a boot that `bootlog capture` ran (NULL for logs imported otherwise):
    command             TEXT,               -- the command, its arguments shell-quoted
    wall_ns             INTEGER,            -- exec to exit
    exit_status         INTEGER,            -- exit status, or NULL if a signal ended it
    exit_signal         INTEGER,            -- the signal that ended it
    timed_out           INTEGER,            -- 1: --timeout ended the run
    peak_rss_kib        INTEGER,            -- the child's peak RSS (wait4)
    user_us             INTEGER,            -- the child's CPU time (wait4)
    system_us           INTEGER,
    -- the guest's `free -m` "Mem:" row, when it printed one (MiB):
    mem_total_mib       INTEGER,
    mem_used_mib        INTEGER,
    mem_free_mib        INTEGER,
    mem_shared_mib      INTEGER,
    mem_buff_cache_mib  INTEGER,
    mem_available_mib   INTEGER
);
CREATE INDEX boot_label ON boot(label);

-- An input file as read. Its lines are line.id first_line_id ..
-- first_line_id + line_count - 1, in order (imports are serialized, so
-- the ids of one input are consecutive): all of them, each followed by
-- '\n' (but the last when ends_with_newline = 0), are the file byte for
-- byte. One file may hold several boots (a board rebooting in a loop).
CREATE TABLE input (
    id                INTEGER PRIMARY KEY,
    path              TEXT NOT NULL,        -- as given ('-' for standard input)
    format            TEXT NOT NULL,        -- parser used: dmesg, grabserial, seabios, ...
    decoration        TEXT,                 -- what every line carried ("> ", "machine# "), if any
    bytes             INTEGER NOT NULL,
    ends_with_newline INTEGER NOT NULL,
    first_line_id     INTEGER NOT NULL,
    line_count        INTEGER NOT NULL
);

-- What a boot printed, by kind:
--   console : the serial console (or a plain log of it)
--   firmware: firmware and bootloader output (SeaBIOS on the debugcon port,
--             or U-Boot/TF-A/OpenSBI/SeaBIOS lines before the kernel on a console)
--   dmesg   : a ring-buffer dump (printk stamps, no arrival times)
-- Its lines are those of line.id first_line_id .. last_line_id with this
-- stream_id (a console's firmware lines come from the same input).
CREATE TABLE stream (
    id              INTEGER PRIMARY KEY,
    boot_id         INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (name = 'console' OR name = 'firmware' OR name = 'dmesg'),
    input_id        INTEGER NOT NULL REFERENCES input(id),
    first_line_id   INTEGER NOT NULL,
    last_line_id    INTEGER NOT NULL,
    line_count      INTEGER NOT NULL,
    UNIQUE (boot_id, name)
);

-- Every line, losslessly. A line's exact bytes (without its '\n') are
-- raw when raw is not NULL, else prefix || text: the framing bytes (host
-- and printk stamps) followed by the message. raw is kept whole only when
-- the message is not simply the end of the line (CRs, NULs, escapes
-- removed, text unquoted). `bootlog cat` writes them back.
--   SELECT l.seq, l.text FROM stream s JOIN line l
--       ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id
--    WHERE s.boot_id = 1 AND s.name = 'console' ORDER BY l.id;
CREATE TABLE line (
    id         INTEGER PRIMARY KEY,
    stream_id  INTEGER NOT NULL REFERENCES stream(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,            -- 1-based line number in the input file
    host_ns    INTEGER,                     -- arrival on the host of its first byte
    host_end_ns INTEGER,                    -- arrival of its end (bootlog capture measures both)
    printk_us  INTEGER,                     -- printk timestamp "[    1.234567]"
    caller     TEXT,                        -- CONFIG_PRINTK_CALLER field: 'T1', 'C0'
    level      INTEGER,                     -- syslog level from a "<N>" prefix (0-7)
    dump       INTEGER NOT NULL DEFAULT 0,  -- 1: a replay of earlier kernel records (a dmesg dump)
    recognized INTEGER NOT NULL,            -- 0: no framing or recognizer understood it
    chars      INTEGER,                     -- bytes the machine printed (newline included)
    chars_before INTEGER,                   -- live console lines: bytes printed on the console
                                            --   before this one (the UART model's C_i)
    prefix     BLOB,                        -- the framing before the message (NULL if none)
    text       TEXT NOT NULL,               -- the message: framing, CRs and NULs removed
    raw        BLOB                         -- the exact bytes, when not prefix || text
);

-- Timed calls that initcall_debug prints, one row per call, by kind:
--   initcall   do_one_initcall ("calling  fn @ 1" .. "initcall fn returned 0 after N usecs",
--              or 2.6 kernels' "Calling initcall 0x..: fn()" .. "ran for N msecs")
--   async      async_run_entry_fn ("calling  12_fn @ 5")
--   async_wait async_synchronize ("async_waiting @ 1" .. "async_continuing @ 1 after N usec")
--   probe      driver probes ("probe of DEV returned 0 after N usecs")
--   pci_fixup  PCI quirks ("pci 0000:00:00.0: calling  quirk_x @ 1" .. "took N usecs")
--   pm         device power-management callbacks of suspend/resume, not boot
-- Only kind 'initcall' is a boot initcall (the view initcall).
CREATE TABLE call (
    id              INTEGER PRIMARY KEY,
    boot_id         INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    stream_id       INTEGER NOT NULL REFERENCES stream(id) ON DELETE CASCADE,
    -- (ORs, not IN: SQLite builds a temporary table for IN on every insert)
    kind            TEXT NOT NULL CHECK (kind = 'initcall' OR kind = 'async' OR
                        kind = 'async_wait' OR kind = 'probe' OR kind = 'pci_fixup' OR kind = 'pm'),
    function        TEXT NOT NULL,          -- symbol without "+0x0/0x40"; the device of a
                                            --   probe or PM callback; '' for async_wait
    module          TEXT,                   -- "[mod]" for initcalls of modules
    device          TEXT,                   -- the PCI device of a fixup
    level           TEXT,                   -- initcall level, when the kernel printed it
    pid             INTEGER,                -- "@ 1": the calling task
    start_seq       INTEGER,                -- line.seq of the first record (NULL: not seen)
    end_seq         INTEGER,                -- line.seq of the last record
    start_printk_us INTEGER,
    end_printk_us   INTEGER,
    start_host_ns   INTEGER,                -- arrival of the first record; NULL when only
    end_host_ns     INTEGER,                --   a dump had it (no live arrival time)
    reported_us     INTEGER,                -- the duration the kernel printed, in us:
                                            --   "after N msecs" is stored as N * 1000. Kernels
                                            --   before 2022 counted units of 1.024 us as "usecs"
                                            --   and 2.6.2x units of 1.048576 ms as "msecs": the
                                            --   number is stored as printed.
    reported_unit   TEXT,                   -- the unit the kernel printed: 'usecs' or 'msecs'
    duration_us     INTEGER,                -- end_printk_us - start_printk_us
    ret             INTEGER,                -- return code, when printed
    complete        INTEGER,                -- 1 returned; 0 never returned (hung or crashed
                                            --   there); NULL not knowable (2.6.1x kernels print
                                            --   no end record)
    dump            INTEGER NOT NULL,       -- 1: known only from a dump (no arrival times)
    suspect         TEXT,                   -- why the record looks wrong, e.g. an absurd duration
    chars_between   INTEGER,                -- console bytes printed while it ran
    corrected_us    INTEGER,                -- reported_us without the console's cost (see uart)
    mismatch_us     INTEGER                 -- set when duration_us disagrees with reported_us by
                                            --   more than the console explains (1 ms + 10%): by
                                            --   this much; a clock or parsing problem (early boot's
                                            --   jiffies clock counts in 4 ms steps)
);
CREATE INDEX call_boot ON call(boot_id, start_printk_us);

CREATE VIEW initcall AS SELECT * FROM call WHERE kind = 'initcall';

-- The console's cost per boot (the UART model, docs/DESIGN.md section 3),
-- estimated at import from bursts of lines sent back to back.
CREATE TABLE uart (
    boot_id         INTEGER PRIMARY KEY REFERENCES boot(id) ON DELETE CASCADE,
    ns_per_char     INTEGER NOT NULL,       -- the estimate (ns, so that it is an integer)
    evidence        TEXT NOT NULL,          -- 'line-ends' (capture's first and end stamps) or
                                            --   'arrival-gaps' (lines queued behind each other)
    samples         INTEGER NOT NULL,       -- how many lines or line pairs it rests on
    spread_ns       INTEGER NOT NULL,       -- their interquartile range
    chars           INTEGER NOT NULL,       -- bytes printed on the console (live)
    console_us      INTEGER NOT NULL,       -- chars * ns_per_char
    userspace_printk_us INTEGER,            -- 'Run /init' as measured
    predicted_userspace_us INTEGER          -- the same without console output
);

-- Lines with their printk time without the console's cost (table uart):
-- corrected_printk_us = printk_us - ns_per_char * chars_before / 1000.
CREATE VIEW line_corrected AS
    SELECT l.*, l.printk_us - CAST(round(u.ns_per_char * l.chars_before / 1000.0) AS INTEGER)
               AS corrected_printk_us
      FROM line l JOIN stream s ON s.id = l.stream_id LEFT JOIN uart u ON u.boot_id = s.boot_id;
