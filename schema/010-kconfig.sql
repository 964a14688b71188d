-- 010-kconfig: which kernel option built each initcall (bootlog kconfig).
--
-- A mapping is one kernel tree read with one config: the tree's
-- registrations that config builds in (kconfig_initcall), the options they
-- sit behind (kconfig_symbol), and, for each boot mapped with it
-- (boot_kconfig), which registration each of its initcalls ran
-- (kconfig_call). Example: the options whose initcalls cost boot 1 most:
--   SELECT option, count(*), sum(reported_us) FROM initcall_option
--    WHERE boot_id = 1 GROUP BY option ORDER BY 3 DESC;

CREATE TABLE kconfig_map (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,        -- the tree's path, as given
    version       TEXT NOT NULL,        -- the tree's Makefile: "6.1.192"
    arch          TEXT NOT NULL,        -- arch/ directory: "x86"
    config        TEXT NOT NULL,        -- the config's path, as given
    config_sha256 TEXT NOT NULL,
    made_at       TEXT NOT NULL,        -- UTC, ISO 8601
    UNIQUE (source, config_sha256)
);

-- The options of a mapping's chains, with their state in the config.
CREATE TABLE kconfig_symbol (
    id          INTEGER PRIMARY KEY,
    map_id      INTEGER NOT NULL REFERENCES kconfig_map(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,          -- without CONFIG_
    state       TEXT NOT NULL CHECK (state = 'y' OR state = 'm' OR state = 'n'),   -- n: not set
    prompt      INTEGER NOT NULL,       -- 1: a user can set it; 0: only through selectors
    selected_by TEXT NOT NULL,          -- enabled symbols that select it, comma-separated ('' none)
    dependents  INTEGER NOT NULL,       -- enabled symbols that depend on it (transitively)
    UNIQUE (map_id, name)
);

-- An initcall the tree registers and the config builds (in, or as a
-- module's part: built_in 0).
CREATE TABLE kconfig_initcall (
    id        INTEGER PRIMARY KEY,
    map_id    INTEGER NOT NULL REFERENCES kconfig_map(id) ON DELETE CASCADE,
    function  TEXT NOT NULL,
    file      TEXT NOT NULL,            -- the registering source file, from the tree's root
    line      INTEGER NOT NULL,
    level     TEXT NOT NULL,            -- "early", "0" .. "7s", "rootfs"
    macro     TEXT NOT NULL,            -- what the source invoked: module_platform_driver, ...
    built_in  INTEGER NOT NULL,
    symbol    TEXT,                     -- the nearest option that builds it; NULL: always built
    symbols   TEXT NOT NULL             -- every option on the way, outermost first, space-separated
);
CREATE INDEX kconfig_initcall_map ON kconfig_initcall(map_id);

CREATE TABLE boot_kconfig (
    boot_id INTEGER PRIMARY KEY REFERENCES boot(id) ON DELETE CASCADE,
    map_id  INTEGER NOT NULL REFERENCES kconfig_map(id) ON DELETE CASCADE
);

CREATE TABLE kconfig_call (
    call_id     INTEGER PRIMARY KEY REFERENCES call(id) ON DELETE CASCADE,
    initcall_id INTEGER NOT NULL REFERENCES kconfig_initcall(id) ON DELETE CASCADE
);

-- Initcalls with the option that built them: option NULL when always
-- built; boots not mapped, and initcalls the tree does not build, are not here.
CREATE VIEW initcall_option AS
    SELECT c.*, k.symbol AS option, k.symbols AS options, k.file AS source_file, k.line AS source_line,
           k.level AS source_level
      FROM call c JOIN kconfig_call kc ON kc.call_id = c.id JOIN kconfig_initcall k ON k.id = kc.initcall_id
     WHERE c.kind = 'initcall';
