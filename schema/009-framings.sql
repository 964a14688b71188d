-- 009-framings: records found wherever they stand in a line, and host
-- stamps that say when a program wrote a line rather than when it arrived.
--
-- boot.prefixed_count: lines whose record (or printk stamp) stood behind a
-- prefix no known framing peels ("24 msecs [ 2.237177] initcall ...",
-- a shell prompt, another program's text): found and read, and counted so
-- that such a reading is never silent.
--
-- line.host_coarse: 1 when host_ns is when a syslog daemon or LAVA's
-- dispatcher wrote the line (whole seconds; one stamp for a chunk of up to
-- 4 KiB), not its arrival: the console model takes no evidence from it.

ALTER TABLE boot ADD COLUMN prefixed_count INTEGER;
ALTER TABLE line ADD COLUMN host_coarse INTEGER NOT NULL DEFAULT 0;
