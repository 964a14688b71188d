-- 004: what phases and top-initcalls looked for in every line or call of a
-- boot, found once at import instead.
--
-- The line where the kernel stops the machine ("reboot: Power down"), found
-- by the recognizers like "Run /init": the end of the userspace phase. It
-- was found by reading all of the boot's console lines again, a tenth of
-- the import of a large dmesg without one.
ALTER TABLE boot ADD COLUMN poweroff_line_id INTEGER;   -- a line.id, NULL if none

-- The initcalls top-initcalls notes under its table, counted: those that
-- never returned or look wrong (listed), and those that returned without
-- printing a duration (not ranked). They replace migration 002's partial
-- indexes, which every call inserted paid for (5% of a large import).
ALTER TABLE boot ADD COLUMN noted_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE boot ADD COLUMN unreported_count INTEGER NOT NULL DEFAULT 0;
DROP INDEX call_hung;
DROP INDEX call_unknown;

-- Boots imported before: the same, from their lines and calls (their
-- power-off lines stay recognized = 0, as they were imported).
UPDATE boot SET
    poweroff_line_id = (
        SELECT max(l.id) FROM stream s JOIN line l
            ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id
        WHERE s.boot_id = boot.id AND s.name = 'console'
          AND (substr(l.text, 1, 18) = 'reboot: Power down' OR substr(l.text, 1, 25) = 'reboot: Restarting system'
               OR substr(l.text, 1, 21) = 'reboot: System halted' OR substr(l.text, 1, 17) = 'Restarting system'
               OR rtrim(l.text) IN ('Power down', 'Power down.', 'System halted', 'System halted.'))),
    noted_count = (
        SELECT count(*) FROM call c WHERE c.boot_id = boot.id AND c.kind = 'initcall'
          AND (c.complete = 0 OR c.suspect IS NOT NULL)),
    unreported_count = (
        SELECT count(*) FROM call c WHERE c.boot_id = boot.id AND c.kind = 'initcall'
          AND c.reported_us IS NULL AND (c.complete IS NULL OR c.complete = 1));
