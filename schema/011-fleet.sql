-- Schema 11: one schema on both backends, metadata, and the surface
-- dashboards read.
--
-- PostgreSQL expands a view's `*` when the view is made, SQLite when it is
-- read: views over tables that have gained columns since are made again
-- (same definitions), so that both backends show every column. A
-- migration that adds columns to line, call or boot makes these again.
DROP VIEW stream_line;
CREATE VIEW stream_line AS
    SELECT s.boot_id, s.name AS stream, s.input_id, l.*
    FROM stream s JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id;
-- PostgreSQL cannot estimate the join of a stream with its id range of
-- lines (it guesses a ninth of the table, and scans all of it: a tenth of a
-- second per query at 1,000 boots, growing); with an index on the stream
-- it joins by index. SQLite walks the rowid range and does without (an
-- index would cost its imports a tenth).
-- postgresql: CREATE INDEX line_stream ON line (stream_id);
DROP VIEW line_corrected;
CREATE VIEW line_corrected AS SELECT l.*, l.corrected_us AS corrected_printk_us FROM line l;
DROP VIEW initcall;
CREATE VIEW initcall AS SELECT * FROM call WHERE kind = 'initcall';

-- What the user recorded with a boot: import and capture --meta NAME=VALUE
-- (a git commit, its date, a CI job, a host).
CREATE TABLE boot_meta (
    boot_id INTEGER NOT NULL REFERENCES boot(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (boot_id, name)
);

-- One row per boot, in ns unless named _us: the stable surface for
-- dashboards (Grafana, Superset, notebooks); see the README. Phases are
-- the top-level ones of the raw timeline (kernel: the sum of kernel:*);
-- *_corrected are without the serial console's estimated cost; meta is the
-- boot's --meta as a JSON object (NULL: none).
CREATE VIEW boot_summary AS
    SELECT b.id AS boot_id, b.label, b.source, b.imported_at, b.kernel_version, b.firmware_version,
           b.console, b.series, b.round, b.started_us,
           t.length_ns AS whole_boot_ns, tc.length_ns AS whole_boot_corrected_ns,
           b.userspace_printk_us AS run_init_us,
           (SELECT l.corrected_us FROM line l WHERE l.id = b.userspace_line_id) AS run_init_corrected_us,
           (SELECT sum(p.end_ns - p.start_ns) FROM phase p WHERE p.boot_id = b.id AND p.corrected = 0
               AND p.depth = 0 AND p.name = 'vmm') AS vmm_ns,
           (SELECT sum(p.end_ns - p.start_ns) FROM phase p WHERE p.boot_id = b.id AND p.corrected = 0
               AND p.depth = 0 AND p.name = 'firmware') AS firmware_ns,
           (SELECT sum(p.end_ns - p.start_ns) FROM phase p WHERE p.boot_id = b.id AND p.corrected = 0
               AND p.depth = 0 AND substr(p.name, 1, 7) = 'kernel:') AS kernel_ns,
           (SELECT sum(p.end_ns - p.start_ns) FROM phase p WHERE p.boot_id = b.id AND p.corrected = 1
               AND p.depth = 0 AND substr(p.name, 1, 7) = 'kernel:') AS kernel_corrected_ns,
           (SELECT sum(p.end_ns - p.start_ns) FROM phase p WHERE p.boot_id = b.id AND p.corrected = 0
               AND p.depth = 0 AND p.name = 'userspace') AS userspace_ns,
           b.initcall_count,
           CASE WHEN EXISTS (SELECT 1 FROM boot_meta m WHERE m.boot_id = b.id) THEN
               (SELECT json_group_object(m.name, m.value)
                  FROM (SELECT name, value FROM boot_meta WHERE boot_id = b.id ORDER BY name) AS m) END AS meta
      FROM boot b
      LEFT JOIN timeline t ON t.boot_id = b.id AND t.corrected = 0
      LEFT JOIN timeline tc ON tc.boot_id = b.id AND tc.corrected = 1;
