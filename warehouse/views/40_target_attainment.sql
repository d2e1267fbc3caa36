-- THE attainment rule (the only one in mubiao: the checks, `mubiao attainment` and the run report read this view).
-- Pairing: each target with the series actual (view series, kind actual: latest report wins) of the same region,
-- metric_code, basis and span (period_start_year–period_year): an annual target with the annual actual of its
-- year, an average_annual target to 2030 only with an average over the same years.
-- Values in base units; lo/hi = the target's low/high end; a = the actual (midpoint of a range);
-- decrease = a stated fall (both ends <= 0, one < 0: 能耗下降3% is -3); lower_is_better and the approx tolerance
-- come from attainment_settings.
--   comparator                    | bound (value space)                                  | threshold
--   at_least (以上/不低于)         | floor; ceiling for a decrease (下降3%以上: a <= -3)  | floor: lo, ceiling: hi
--   at_most (以内/不超过)          | ceiling; floor for a decrease (下降不超过3%: a >= -3)|
--   point, approx, range (左右, —) | ceiling for a decrease or a lower_is_better metric,  | (the less ambitious end
--                                  | else floor                                           |  of a range)
-- met: floor a >= threshold - slack; ceiling a <= threshold + slack; slack = approx_tolerance * |threshold| for
-- approx (0 otherwise) + 1e-9 * max(1, |threshold|) for unit-conversion rounding. Else missed.
-- pending: no actual yet and the year is not over or no later report of the region is loaded (its review).
-- unknown (status_reason says why): no metric/year/region; no actual although a later report is loaded; the
-- actual's base unit differs (level vs growth, % vs 个百分点); a value missing.
-- gap = a - threshold in the target's unit (positive: above the bound).
CREATE VIEW target_attainment AS
WITH actual_series AS MATERIALIZED (SELECT * FROM series WHERE kind = 'actual' AND NOT absent),
tolerance AS (
    SELECT coalesce(max(value), 0) AS approx_tolerance FROM attainment_settings WHERE setting = 'approx_tolerance'
),
t AS (
    SELECT f.*, coalesce(f.region_code, f.region_name) AS region_key,
           least(f.value_base_low, coalesce(f.value_base_high, f.value_base_low)) AS lo,
           greatest(f.value_base_low, coalesce(f.value_base_high, f.value_base_low)) AS hi,
           coalesce(f.headline_code, f.metric_code) IN (
               SELECT metric_code FROM attainment_settings WHERE setting = 'lower_is_better')
           OR f.metric_code IN (SELECT metric_code FROM attainment_settings WHERE setting = 'lower_is_better')
               AS lower_is_better,
           CASE WHEN f.value_low <> 0 THEN f.value_base_low / f.value_low ELSE coalesce(u.factor, 1) END AS unit_factor
    FROM targets f
    LEFT JOIN units u ON u.unit = f.unit
),
bounded AS (
    SELECT t.*,
           CASE WHEN comparator = 'at_least' THEN CASE WHEN lo < 0 AND hi <= 0 THEN 'ceiling' ELSE 'floor' END
                WHEN comparator = 'at_most' THEN CASE WHEN lo < 0 AND hi <= 0 THEN 'floor' ELSE 'ceiling' END
                WHEN (lo < 0 AND hi <= 0) OR coalesce(lower_is_better, false) THEN 'ceiling'
                ELSE 'floor' END AS bound,
           CASE WHEN comparator = 'approx' THEN (SELECT approx_tolerance FROM tolerance) ELSE 0 END AS tolerance
    FROM t
),
thresholds AS (
    SELECT *, CASE WHEN bound = 'floor' THEN lo ELSE hi END AS threshold FROM bounded
),
last_reports AS (
    SELECT coalesce(region_code, region_name) AS region_key, max(report_year) AS last_report_year
    FROM current_documents GROUP BY 1
),
other_spans AS (
    SELECT region_key, metric_code, period_year,
           string_agg(DISTINCT basis || ' ' || period_start_year || '–' || period_year, ', ') AS spans
    FROM actual_series GROUP BY ALL
),
paired AS (
    SELECT t.*,
           a.figure_id AS actual_figure_id, a.document_id AS actual_document_id,
           (a.value_low + coalesce(a.value_high, a.value_low)) / 2 AS actual_value, a.unit AS actual_unit,
           (a.value_base_low + coalesce(a.value_base_high, a.value_base_low)) / 2 AS actual_value_base,
           a.base_unit AS actual_base_unit, a.sentence AS actual_sentence, a.source_file AS actual_source_file,
           a.report_year AS actual_report_year, a.document_count AS actual_document_count,
           a.revised_from AS actual_revised_from, a.value_label AS actual_label, l.last_report_year,
           o.spans AS other_spans,
           t.tolerance * abs(t.threshold) + 1e-9 * greatest(1, abs(t.threshold)) AS slack
    FROM thresholds t
    LEFT JOIN actual_series a
      ON a.region_key = t.region_key AND a.metric_code = t.metric_code
     AND a.basis = t.basis AND a.period_start_year = t.period_start_year AND a.period_year = t.period_year
    LEFT JOIN last_reports l ON l.region_key = t.region_key
    LEFT JOIN other_spans o
      ON o.region_key = t.region_key AND o.metric_code = t.metric_code AND o.period_year = t.period_year
),
judged AS (
    SELECT *,
           CASE
               WHEN metric_code IS NULL OR period_year IS NULL OR region_key IS NULL THEN 'unknown'
               WHEN actual_figure_id IS NULL
                    AND (period_year >= year(current_date) OR coalesce(last_report_year <= period_year, true))
                    THEN 'pending'
               WHEN actual_figure_id IS NULL OR value_base_low IS NULL OR actual_value_base IS NULL THEN 'unknown'
               WHEN base_unit IS DISTINCT FROM actual_base_unit THEN 'unknown'
               WHEN bound = 'floor' THEN CASE WHEN actual_value_base >= threshold - slack THEN 'met' ELSE 'missed' END
               ELSE CASE WHEN actual_value_base <= threshold + slack THEN 'met' ELSE 'missed' END
           END AS status
    FROM paired
)
SELECT figure_id, document_id, source_file, region_code, region_name, report_year, metric_code, metric_name,
       period_year, comparator, value_low AS target_low, value_high AS target_high, unit,
       value_base_low AS target_base_low, value_base_high AS target_base_high, base_unit, sentence,
       actual_figure_id, actual_document_id, actual_value, actual_unit, actual_value_base, actual_sentence,
       status,
       CASE
           WHEN metric_code IS NULL THEN 'target has no catalog metric'
           WHEN period_year IS NULL THEN 'target has no period year'
           WHEN region_key IS NULL THEN 'target has no region'
           WHEN status = 'pending' AND period_year >= year(current_date) THEN 'the year is not over'
           WHEN status = 'pending' THEN 'its review is not loaded: no report after ' || period_year
                                        || ' for this region yet'
           WHEN actual_figure_id IS NULL AND other_spans IS NOT NULL
                THEN 'no ' || basis || ' actual for ' || period_start_year || '–' || period_year
                     || ' in the reports loaded (up to ' || last_report_year || '); stated: ' || other_spans
           WHEN actual_figure_id IS NULL
                THEN 'no actual stated in the later reports loaded (up to ' || last_report_year || ')'
           WHEN value_base_low IS NULL OR actual_value_base IS NULL THEN 'no base-unit value to compare'
           WHEN base_unit IS DISTINCT FROM actual_base_unit
                THEN 'actual is in ' || coalesce(actual_base_unit, '?') || ', target in ' || coalesce(base_unit, '?')
       END AS status_reason,
       basis, period_start_year, bound, tolerance,
       CASE WHEN status IN ('met', 'missed') THEN round((actual_value_base - threshold) / unit_factor, 6) END AS gap,
       actual_source_file, actual_report_year, actual_document_count, actual_revised_from,
       CASE comparator WHEN 'approx' THEN '≈' WHEN 'at_least' THEN '≥' WHEN 'at_most' THEN '≤' ELSE '' END
       || regexp_replace(CAST(value_low AS VARCHAR), '\.0$', '')
       || CASE WHEN value_high IS DISTINCT FROM value_low
               THEN '–' || regexp_replace(CAST(value_high AS VARCHAR), '\.0$', '') ELSE '' END
       || coalesce(unit, '') AS target_label,
       actual_label, headline_code
FROM judged;
COMMENT ON VIEW target_attainment IS 'Each target paired with its series actual (same region, metric_code, basis and span; latest report wins) and whether it was met 目标完成情况. Rule: bound = floor (actual must reach the target) or ceiling (must stay within it): at_least is a floor and at_most a ceiling (reversed for a stated decrease, both ends <= 0, e.g. 能耗下降3% = -3); point, approx and range are ceilings for a decrease or a metric listed lower_is_better in attainment_settings, else floors; a floor compares with the low end, a ceiling with the high end. met when the actual is on the right side of that threshold, with slack approx_tolerance × |threshold| for approx (左右) targets (attainment_settings) and 1e-9 for rounding; else missed. pending: no actual yet and the year is not over or no later report of the region is loaded. unknown (status_reason): no metric, year or region; no actual in the later reports; base units differ (level vs growth); a value missing. gap = actual − threshold in the target unit.';
COMMENT ON COLUMN target_attainment.figure_id IS 'Target figure id 目标数字编号';
COMMENT ON COLUMN target_attainment.document_id IS 'Document the target was found in 文档编号';
COMMENT ON COLUMN target_attainment.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN target_attainment.region_code IS 'GB/T 2260 region code 行政区划代码';
COMMENT ON COLUMN target_attainment.region_name IS 'Region 地区名称';
COMMENT ON COLUMN target_attainment.report_year IS 'Year of the report stating the target 报告年份';
COMMENT ON COLUMN target_attainment.metric_code IS 'Catalog metric code 指标代码';
COMMENT ON COLUMN target_attainment.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN target_attainment.period_year IS 'Year the target is for (end of its span) 目标年份';
COMMENT ON COLUMN target_attainment.comparator IS 'Target comparator 比较方式';
COMMENT ON COLUMN target_attainment.target_low IS 'Target value (low end) as written 目标数值下限';
COMMENT ON COLUMN target_attainment.target_high IS 'Target value (high end) as written 目标数值上限';
COMMENT ON COLUMN target_attainment.unit IS 'Target unit as written 目标单位';
COMMENT ON COLUMN target_attainment.target_base_low IS 'Target low end in the base unit 目标基本单位下限';
COMMENT ON COLUMN target_attainment.target_base_high IS 'Target high end in the base unit 目标基本单位上限';
COMMENT ON COLUMN target_attainment.base_unit IS 'Target base unit 基本单位';
COMMENT ON COLUMN target_attainment.sentence IS 'Sentence stating the target 目标原句';
COMMENT ON COLUMN target_attainment.actual_figure_id IS 'Series actual figure id 实绩数字编号';
COMMENT ON COLUMN target_attainment.actual_document_id IS 'Document reporting the actual 实绩文档编号';
COMMENT ON COLUMN target_attainment.actual_value IS 'Actual value as written (midpoint of a range) 实绩数值';
COMMENT ON COLUMN target_attainment.actual_unit IS 'Actual unit as written 实绩单位';
COMMENT ON COLUMN target_attainment.actual_value_base IS 'Actual in the base unit (midpoint of a range) 实绩基本单位数值';
COMMENT ON COLUMN target_attainment.actual_sentence IS 'Sentence reporting the actual 实绩原句';
COMMENT ON COLUMN target_attainment.status IS 'met | missed | pending | unknown; the rule is in the view comment 完成状态';
COMMENT ON COLUMN target_attainment.status_reason IS 'Why the status is pending or unknown 待定或未知原因';
COMMENT ON COLUMN target_attainment.bound IS 'floor (the actual must reach it) | ceiling (must stay within it) 目标方向';
COMMENT ON COLUMN target_attainment.tolerance IS 'Share of the threshold allowed as slack (approx targets; attainment_settings) 容差';
COMMENT ON COLUMN target_attainment.gap IS 'Actual minus the target threshold, in the target unit, to 6 decimals (positive: above it) 差距';
COMMENT ON COLUMN target_attainment.actual_source_file IS 'File of the report stating the actual 实绩源文件';
COMMENT ON COLUMN target_attainment.actual_report_year IS 'Year of the report stating the actual 实绩报告年份';
COMMENT ON COLUMN target_attainment.actual_document_count IS 'Documents that state the actual 实绩陈述文档数';
COMMENT ON COLUMN target_attainment.target_label IS 'Target as a short label: ≈ approx, ≥ at_least, ≤ at_most, low–high range 目标文本';
COMMENT ON COLUMN target_attainment.actual_label IS 'Actual value and unit as written 实绩文本';
COMMENT ON COLUMN target_attainment.actual_revised_from IS 'Earlier value of the actual, superseded by a later report 修订前实绩';
