-- 008-interleaved-runs: runs of several configurations captured interleaved
-- by one bootlog capture --config invocation.
--
-- boot.series: that invocation (its start, us since the epoch), the same for
-- every run of it; boot.round: the run's round in it (1, 2, ...): in each
-- round every configuration ran once, so two labels' runs of one series pair
-- up by round (compare's paired test).

-- boot.started_us: a capture's exec (us since the epoch): with wall_ns, when
-- the run used the host, so that runs that overlapped are told.

ALTER TABLE boot ADD COLUMN series INTEGER;
ALTER TABLE boot ADD COLUMN started_us INTEGER;
ALTER TABLE boot ADD COLUMN round INTEGER;
