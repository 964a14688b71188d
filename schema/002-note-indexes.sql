-- 002: indexes for the notes under top-initcalls on a large database.
-- Every top-initcalls also lists, per boot, the initcalls that never
-- returned or were flagged, and counts those without a printed duration.
-- Without these, each was a scan of all the boot's calls (a thousand boots:
-- two thirds of the command's time). Both are partial: they hold only the
-- few rows they find, so imports do not pay for them.
CREATE INDEX call_hung ON call(boot_id)
    WHERE kind = 'initcall' AND (complete = 0 OR suspect IS NOT NULL);
CREATE INDEX call_unknown ON call(boot_id)
    WHERE kind = 'initcall' AND reported_us IS NULL;
