-- 005-stream-lines: one view for "the lines of a boot's stream", and the
-- facts the parsers recognize in lines that later stages used to look for
-- again in the text.
--
-- stream_line: every query that reads a stream used to write this join
-- out. SQLite flattens the view into the query that uses it (the same
-- plan: each stream's lines are the id range first_line_id..last_line_id).
--
-- line.mark: a step of the firmware's own that the line reports
-- (parsers/recognize.c: 'pci-begin', 'pci', 'option-roms', 'option-rom',
-- 'boot-search'); boot.userspace_line_id: the 'Run /init' line that
-- userspace_printk_us and userspace_host_ns are of. Import stores both;
-- for the boots already stored they are found below with the rules
-- phases.c applied to the text before this migration (a copy frozen
-- here, as migrations are: the parsers are the rules' one home now).

CREATE VIEW stream_line AS
    SELECT s.boot_id, s.name AS stream, s.input_id, l.*
    FROM stream s JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id;

ALTER TABLE line ADD COLUMN mark TEXT;              -- a firmware step, NULL for most lines
ALTER TABLE boot ADD COLUMN userspace_line_id INTEGER;   -- a line.id, NULL if none

UPDATE line SET mark = CASE
        WHEN substr(text, 1, 8) = '=== PCI ' THEN 'pci-begin'
        WHEN substr(text, 1, 5) = 'PCI: ' THEN 'pci'
        WHEN substr(text, 1, 18) = 'Running option rom' THEN 'option-rom'
        WHEN instr(text, 'option rom') > 0 THEN 'option-roms'
        WHEN substr(text, 1, 19) = 'Searching bootorder' THEN 'boot-search'
    END
    WHERE printk_us IS NULL AND id IN (SELECT id FROM stream_line WHERE stream = 'firmware');

UPDATE boot SET userspace_line_id = (
    SELECT min(l.id) FROM stream_line l
    WHERE l.boot_id = boot.id AND l.stream = 'console' AND l.dump = 0
      AND l.printk_us = boot.userspace_printk_us AND substr(l.text, 1, 4) = 'Run ');
