-- Loaded figures of kind actual. Columns take their comments from `figures`.
CREATE VIEW actuals AS SELECT * FROM figures WHERE kind = 'actual';
COMMENT ON VIEW actuals IS 'Loaded figures of kind actual 实绩';
