-- Said and not said: a report that explicitly sets no numeric target for a subject (没有提出全年经济增速具体目标)
-- records a qualitative target flagged declines_number, with the catalog metric it would have had. The series
-- view shows it as an explicit absence, distinct from a target the extractor missed (no row at all).
ALTER TABLE qualitative_targets ADD COLUMN metric_code VARCHAR;
ALTER TABLE qualitative_targets ADD COLUMN declines_number BOOLEAN DEFAULT false;
COMMENT ON COLUMN qualitative_targets.metric_code IS 'Catalog metric the goal is about, where known 指标代码';
COMMENT ON COLUMN qualitative_targets.declines_number IS 'The report explicitly sets no numeric target for it (不设/未设/没有提出…具体目标) 明确不设数值目标';
