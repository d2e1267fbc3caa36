-- Loaded figures of kind target. Columns take their comments from `figures`.
CREATE VIEW targets AS SELECT * FROM figures WHERE kind = 'target';
COMMENT ON VIEW targets IS 'Loaded figures of kind target 目标';
