-- Attainment rule, in the target's stated direction d (d = -1 when both ends of the target are <= 0 with
-- one < 0, i.e. a stated decrease such as 单位GDP能耗下降3% stored as -3; else d = +1). With the actual's
-- value a (midpoint of its base values) and the target's base values lo/hi:
--   at_most (以内/不超过)                    : met when d*a <= max(d*lo, d*hi)  (a ceiling on the movement)
--   point, approx, at_least, range (左右/以上): met when d*a >= min(d*lo, d*hi)  (the less ambitious end
--                                               reached; no tolerance for 左右)
-- A relative 1e-9 tolerance absorbs unit-conversion rounding. 'unknown' when no actual for the same
-- region, metric_code and period_year is loaded, when the units' base differs, or when either side lacks
-- a base value. With several actuals, the one in the target's base unit from the latest report wins.
CREATE VIEW target_attainment AS
WITH t AS (
    SELECT *,
           coalesce(region_code, region_name) AS region_key,
           CASE WHEN least(value_base_low, coalesce(value_base_high, value_base_low)) < 0
                 AND greatest(value_base_low, coalesce(value_base_high, value_base_low)) <= 0
                THEN -1 ELSE 1 END AS direction
    FROM targets
),
a AS (
    SELECT *,
           coalesce(region_code, region_name) AS region_key,
           (value_base_low + coalesce(value_base_high, value_base_low)) / 2 AS value_base
    FROM actuals
    WHERE metric_code IS NOT NULL AND period_year IS NOT NULL
),
paired AS (
    SELECT t.*,
           a.figure_id AS actual_figure_id, a.document_id AS actual_document_id,
           (a.value_low + coalesce(a.value_high, a.value_low)) / 2 AS actual_value, a.unit AS actual_unit,
           a.value_base AS actual_value_base, a.base_unit AS actual_base_unit, a.sentence AS actual_sentence,
           CASE WHEN t.comparator = 'at_most'
                THEN greatest(t.direction * t.value_base_low, t.direction * coalesce(t.value_base_high, t.value_base_low))
                ELSE least(t.direction * t.value_base_low, t.direction * coalesce(t.value_base_high, t.value_base_low))
           END AS threshold
    FROM t
    LEFT JOIN a ON a.region_key = t.region_key AND a.metric_code = t.metric_code AND a.period_year = t.period_year
    QUALIFY row_number() OVER (
        PARTITION BY t.document_id, t.figure_id
        ORDER BY (a.base_unit IS NOT DISTINCT FROM t.base_unit) DESC, a.report_year DESC NULLS LAST,
                 a.loaded_at DESC, a.figure_id) = 1
)
SELECT figure_id, document_id, source_file, region_code, region_name, report_year, metric_code, metric_name,
       period_year, comparator, value_low AS target_low, value_high AS target_high, unit,
       value_base_low AS target_base_low, value_base_high AS target_base_high, base_unit, sentence,
       actual_figure_id, actual_document_id, actual_value, actual_unit, actual_value_base, actual_sentence,
       CASE
           WHEN metric_code IS NULL OR period_year IS NULL OR region_key IS NULL THEN 'unknown'
           WHEN actual_figure_id IS NULL OR value_base_low IS NULL OR actual_value_base IS NULL THEN 'unknown'
           WHEN base_unit IS DISTINCT FROM actual_base_unit THEN 'unknown'
           WHEN comparator = 'at_most'
                THEN CASE WHEN direction * actual_value_base <= threshold + 1e-9 * greatest(1, abs(threshold))
                          THEN 'met' ELSE 'missed' END
           ELSE CASE WHEN direction * actual_value_base >= threshold - 1e-9 * greatest(1, abs(threshold))
                     THEN 'met' ELSE 'missed' END
       END AS status,
       CASE
           WHEN metric_code IS NULL THEN 'target has no catalog metric'
           WHEN period_year IS NULL THEN 'target has no period year'
           WHEN region_key IS NULL THEN 'target has no region'
           WHEN actual_figure_id IS NULL THEN 'no actual loaded for this region, metric and year'
           WHEN value_base_low IS NULL OR actual_value_base IS NULL THEN 'no base-unit value to compare'
           WHEN base_unit IS DISTINCT FROM actual_base_unit
                THEN 'actual is in ' || coalesce(actual_base_unit, '?') || ', target in ' || coalesce(base_unit, '?')
       END AS status_reason
FROM paired;
COMMENT ON VIEW target_attainment IS 'Each target with the actual for the same region, metric_code and period_year, and whether it was met 目标完成情况. Rule: d = -1 for a stated decrease (both target ends <= 0, e.g. 能耗下降3% = -3), else +1; a = the actual in base units (midpoint of a range). at_most: met when d*a <= max(d*low, d*high). point, approx, at_least, range: met when d*a >= min(d*low, d*high), i.e. the less ambitious end is reached, with no tolerance for 左右. unknown when no actual is loaded, base units differ or a value is missing; among several actuals the one in the target base unit from the latest report is used.';
COMMENT ON COLUMN target_attainment.figure_id IS 'Target figure id 目标数字编号';
COMMENT ON COLUMN target_attainment.document_id IS 'Document the target was found in 文档编号';
COMMENT ON COLUMN target_attainment.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN target_attainment.region_code IS 'GB/T 2260 region code 行政区划代码';
COMMENT ON COLUMN target_attainment.region_name IS 'Region 地区名称';
COMMENT ON COLUMN target_attainment.report_year IS 'Year of the report stating the target 报告年份';
COMMENT ON COLUMN target_attainment.metric_code IS 'Catalog metric code 指标代码';
COMMENT ON COLUMN target_attainment.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN target_attainment.period_year IS 'Year the target is for 目标年份';
COMMENT ON COLUMN target_attainment.comparator IS 'Target comparator 比较方式';
COMMENT ON COLUMN target_attainment.target_low IS 'Target value (low end) as written 目标数值下限';
COMMENT ON COLUMN target_attainment.target_high IS 'Target value (high end) as written 目标数值上限';
COMMENT ON COLUMN target_attainment.unit IS 'Target unit as written 目标单位';
COMMENT ON COLUMN target_attainment.target_base_low IS 'Target low end in the base unit 目标基本单位下限';
COMMENT ON COLUMN target_attainment.target_base_high IS 'Target high end in the base unit 目标基本单位上限';
COMMENT ON COLUMN target_attainment.base_unit IS 'Target base unit 基本单位';
COMMENT ON COLUMN target_attainment.sentence IS 'Sentence stating the target 目标原句';
COMMENT ON COLUMN target_attainment.actual_figure_id IS 'Matching actual figure id 实绩数字编号';
COMMENT ON COLUMN target_attainment.actual_document_id IS 'Document reporting the actual 实绩文档编号';
COMMENT ON COLUMN target_attainment.actual_value IS 'Actual value as written (midpoint of a range) 实绩数值';
COMMENT ON COLUMN target_attainment.actual_unit IS 'Actual unit as written 实绩单位';
COMMENT ON COLUMN target_attainment.actual_value_base IS 'Actual in the base unit (midpoint of a range) 实绩基本单位数值';
COMMENT ON COLUMN target_attainment.actual_sentence IS 'Sentence reporting the actual 实绩原句';
COMMENT ON COLUMN target_attainment.status IS 'met | missed | unknown; see the rule in the view definition 完成状态';
COMMENT ON COLUMN target_attainment.status_reason IS 'Why the status is unknown 未知原因';
