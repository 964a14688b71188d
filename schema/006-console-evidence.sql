-- 006-console-evidence: the console estimate's interval and evidence, and
-- the version of the rules that derived a boot's data.
--
-- uart.ns_per_char_low/high: the 95% interval of the estimate (bootstrap of
-- the median over its samples); uart.checked: what the other kinds of
-- evidence said, or why they were not used; boot.analysis:
-- BL_ANALYSIS_VERSION of the rules that derived the boot's console
-- estimate, corrected durations and stored phases (1: before this
-- migration). bootlog reanalyze derives again the boots whose version is
-- older.

ALTER TABLE uart ADD COLUMN ns_per_char_low INTEGER;
ALTER TABLE uart ADD COLUMN ns_per_char_high INTEGER;
ALTER TABLE uart ADD COLUMN checked TEXT;
ALTER TABLE boot ADD COLUMN analysis INTEGER NOT NULL DEFAULT 1;
