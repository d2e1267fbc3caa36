-- Why a run failed: its own error, or 'abandoned' when a later run found it still marked running.
ALTER TABLE runs ADD COLUMN error VARCHAR;
COMMENT ON COLUMN runs.error IS 'Why the run failed (one line), NULL otherwise 失败原因';
