-- 007-console-model: which consoles made printk wait, and the console's
-- correction stored once (docs/DESIGN.md, "Which consoles block").
--
-- line.wait_chars: for a live console line, the console bytes printk had
-- waited for before this line's stamp (all bytes before it on a legacy
-- console; only those sent while a console blocked on nbcon and
-- PREEMPT_RT kernels; the backlog when the first blocking console
-- registered). line.corrected_us: printk_us without them, at the boot's
-- cost per byte (uart.c, bl_uart_predict): every verb reads it.
-- boot.console: the console kind uart.c recognized and when it blocked.
-- line_corrected keeps its column for queries written against it.

ALTER TABLE line ADD COLUMN wait_chars INTEGER;
ALTER TABLE line ADD COLUMN corrected_us INTEGER;
ALTER TABLE boot ADD COLUMN console TEXT;

DROP VIEW line_corrected;
CREATE VIEW line_corrected AS SELECT l.*, l.corrected_us AS corrected_printk_us FROM line l;
