-- 004: the line where the kernel stops the machine ("reboot: Power down"),
-- found by the recognizers at import like "Run /init". The end of a boot's
-- userspace phase; it was found by reading all of the boot's console lines
-- again, a tenth of the import of a large dmesg without one.
ALTER TABLE boot ADD COLUMN poweroff_line_id INTEGER;   -- a line.id, NULL if none

-- Boots imported before: the console's last line the recognizers take for
-- one now (their lines stay recognized = 0, as they were imported).
UPDATE boot SET poweroff_line_id = (
    SELECT max(l.id) FROM stream s JOIN line l
        ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id
    WHERE s.boot_id = boot.id AND s.name = 'console'
      AND (l.text GLOB 'reboot: Power down*' OR l.text GLOB 'reboot: Restarting system*'
           OR l.text GLOB 'reboot: System halted*' OR l.text GLOB 'Restarting system*'
           OR rtrim(l.text) IN ('Power down', 'Power down.', 'System halted', 'System halted.')));
