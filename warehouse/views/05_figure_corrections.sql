-- The latest reviewer decision and correction per figure (later entries win per field), from review_fields.
CREATE VIEW figure_corrections AS
SELECT target_id AS figure_id,
       arg_max(value, seq) FILTER (WHERE field = 'status') AS status,
       arg_max(value, seq) FILTER (WHERE field = 'kind') AS kind,
       arg_max(value, seq) FILTER (WHERE field = 'metric_code') AS metric_code,
       TRY_CAST(arg_max(value, seq) FILTER (WHERE field = 'value_low') AS DOUBLE) AS value_low,
       TRY_CAST(arg_max(value, seq) FILTER (WHERE field = 'value_high') AS DOUBLE) AS value_high,
       arg_max(value, seq) FILTER (WHERE field = 'unit') AS unit,
       TRY_CAST(arg_max(value, seq) FILTER (WHERE field = 'value_base_low') AS DOUBLE) AS value_base_low,
       TRY_CAST(arg_max(value, seq) FILTER (WHERE field = 'value_base_high') AS DOUBLE) AS value_base_high,
       arg_max(value, seq) FILTER (WHERE field = 'base_unit') AS base_unit,
       TRY_CAST(arg_max(value, seq) FILTER (WHERE field = 'period_year') AS INTEGER) AS period_year,
       bool_or(field <> 'status') AS corrected,
       max(decided_at) AS reviewed_at
FROM review_fields
WHERE target = 'figure'
GROUP BY target_id;
COMMENT ON VIEW figure_corrections IS 'Latest reviewer decision and corrected values per figure, from review_log (view review_fields) 数字审核结果';
COMMENT ON COLUMN figure_corrections.figure_id IS 'Figure id 数字编号';
COMMENT ON COLUMN figure_corrections.status IS 'accepted | rejected (latest decision), NULL if none 审核结论';
COMMENT ON COLUMN figure_corrections.kind IS 'Corrected kind 更正后的类型';
COMMENT ON COLUMN figure_corrections.metric_code IS 'Corrected metric code 更正后的指标代码';
COMMENT ON COLUMN figure_corrections.value_low IS 'Corrected value (low end) 更正后的数值下限';
COMMENT ON COLUMN figure_corrections.value_high IS 'Corrected high end 更正后的数值上限';
COMMENT ON COLUMN figure_corrections.unit IS 'Corrected unit 更正后的单位';
COMMENT ON COLUMN figure_corrections.value_base_low IS 'Corrected value_low in the base unit 更正后的基本单位数值下限';
COMMENT ON COLUMN figure_corrections.value_base_high IS 'Corrected value_high in the base unit 更正后的基本单位数值上限';
COMMENT ON COLUMN figure_corrections.base_unit IS 'Base unit of the corrected unit 更正后的基本单位';
COMMENT ON COLUMN figure_corrections.period_year IS 'Corrected period year 更正后的所属年份';
COMMENT ON COLUMN figure_corrections.corrected IS 'Whether any value was corrected 是否有更正';
COMMENT ON COLUMN figure_corrections.reviewed_at IS 'Latest decision time (UTC) 最近审核时间';
