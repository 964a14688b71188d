-- bootlog schema, version 1.
--
-- Units: every time is an integer with its unit in the column name
-- (_ns nanoseconds, _us microseconds). NULL means "not known", never zero.
-- Host times (_host_ns) are on the capture's clock: t = 0 is when the
-- capture started (grabserial's and bootlog's own stamps) or, for logs with
-- wall-clock stamps, the earliest stamp. printk times (_printk_us) are the
-- kernel's own clock, printk 0 = kernel start.
--
-- Example: the ten slowest initcalls of boot 1, as `bootlog top-initcalls`
-- would rank them:
--   SELECT function, reported_us FROM initcall
--    WHERE boot_id = 1 AND complete ORDER BY reported_us DESC LIMIT 10;

-- One boot of one machine. Boots are immutable once imported.
CREATE TABLE boot (
    id                  INTEGER PRIMARY KEY,
    label               TEXT,               -- user's name for a configuration; many boots share one
    source              TEXT NOT NULL,      -- where it came from: the main file's name, or 'capture'
    content_sha256      TEXT NOT NULL UNIQUE, -- of every stream's bytes: re-import finds the same boot
    imported_at         TEXT NOT NULL,      -- UTC, ISO 8601
    kernel_version      TEXT,               -- uname -r, from "Linux version X ..."
    kernel_cmdline      TEXT,               -- from "Command line: ..."
    firmware_version    TEXT,               -- e.g. SeaBIOS "1.16.2-debian-1.16.2-1"
    handoff_host_ns     INTEGER,            -- firmware hands over to the next stage ("Booting from ...")
    userspace_printk_us INTEGER,            -- "Run /init as init process" (or equivalent)
    userspace_host_ns   INTEGER,            -- the same line's arrival, when it arrived live
    line_count          INTEGER NOT NULL,   -- lines in all streams
    initcall_count      INTEGER NOT NULL    -- rows in initcall for this boot
);
CREATE INDEX boot_label ON boot(label);

-- What a boot printed, one row per input file.
--   console : the serial console (or a plain log of it)
--   firmware: firmware debug output, e.g. SeaBIOS on the debugcon port
--   dmesg   : a ring-buffer dump (printk stamps, no arrival times)
CREATE TABLE stream (
    id                INTEGER PRIMARY KEY,
    boot_id           INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    name              TEXT NOT NULL CHECK (name IN ('console', 'firmware', 'dmesg')),
    source            TEXT NOT NULL,        -- file name as given ('-' for standard input)
    format            TEXT NOT NULL,        -- parser used: dmesg, grabserial, seabios, libguestfs
    bytes             INTEGER NOT NULL,     -- size of the input
    ends_with_newline INTEGER NOT NULL,     -- 0 if the last line had no '\n' (for lossless output)
    first_line_id     INTEGER,              -- its lines are line.id first_line_id ..
    line_count        INTEGER NOT NULL,     --   first_line_id + line_count - 1, in order
    UNIQUE (boot_id, name)
);

-- Every line, losslessly. A line's exact bytes (without its '\n') are
-- raw when raw is not NULL, else prefix || text: the framing bytes (host
-- and printk stamps) followed by the message. raw is kept whole only when
-- the message is not simply the end of the line (CRs or NULs removed,
-- text unquoted). All lines of a stream in seq order, each followed by
-- '\n' (but the last when stream.ends_with_newline = 0), are the input
-- file byte for byte; `bootlog cat` writes exactly that.
--
-- A stream's lines have consecutive ids (imports are serialized), so the
-- fast way to a stream's lines is the id range, with no index to maintain:
--   SELECT l.seq, l.text FROM stream s JOIN line l
--       ON l.id BETWEEN s.first_line_id AND s.first_line_id + s.line_count - 1
--    WHERE s.boot_id = 1 AND s.name = 'console' ORDER BY l.id;
CREATE TABLE line (
    id         INTEGER PRIMARY KEY,
    stream_id  INTEGER NOT NULL REFERENCES stream(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,            -- 1-based line number in the input file
    host_ns    INTEGER,                     -- arrival on the host (capture / host stamp)
    printk_us  INTEGER,                     -- printk timestamp "[    1.234567]"
    caller     TEXT,                        -- CONFIG_PRINTK_CALLER field: 'T1', 'C0'
    level      INTEGER,                     -- syslog level from a "<N>" prefix (0-7)
    dump       INTEGER NOT NULL DEFAULT 0,  -- 1: a replay of earlier kernel records (a dmesg dump)
    prefix     BLOB,                        -- the framing before the message (NULL if none)
    text       TEXT NOT NULL,               -- the message: framing, CRs and NULs removed
    raw        BLOB                         -- the exact bytes, when not prefix || text
);

-- initcall_debug records, one row per call ("calling" .. "initcall ... returned").
CREATE TABLE initcall (
    id              INTEGER PRIMARY KEY,
    boot_id         INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    stream_id       INTEGER NOT NULL REFERENCES stream(id) ON DELETE CASCADE,
    function        TEXT NOT NULL,          -- symbol without "+0x0/0x40"
    module          TEXT,                   -- "[mod]" for initcalls of modules
    pid             INTEGER,                -- "@ 1": the calling task
    start_seq       INTEGER,                -- line.seq of "calling" (NULL: not seen)
    end_seq         INTEGER,                -- line.seq of "initcall ... returned"
    start_printk_us INTEGER,
    end_printk_us   INTEGER,
    start_host_ns   INTEGER,                -- arrival of the "calling" line; NULL when only
    end_host_ns     INTEGER,                --   a dump had it (no live arrival time)
    reported_us     INTEGER,                -- the duration the kernel printed, in us
                                            --   ("after N msecs" is stored as N * 1000; kernels
                                            --   before 2022 printed units of 1.024 us as "usecs")
    reported_unit   TEXT,                   -- the unit the kernel printed: 'usecs' or 'msecs'
    duration_us     INTEGER,                -- end_printk_us - start_printk_us
    ret             INTEGER,                -- return code
    complete        INTEGER NOT NULL,       -- 0: "calling" without a return (hung or crashed there)
    dump            INTEGER NOT NULL        -- 1: known only from a dump (no arrival times)
);
CREATE INDEX initcall_boot ON initcall(boot_id, start_printk_us);
