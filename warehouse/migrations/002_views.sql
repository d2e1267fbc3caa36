-- Analyst views: the public contract. Extend them (new columns at the end), never break them.

CREATE OR REPLACE VIEW figures AS
SELECT f.figure_id, f.document_id, f.source_file, f.region_code, f.region_name, f.report_year, f.kind,
       f.metric_code, f.metric_name, f.value_low, f.value_high, f.unit, f.value_base_low, f.value_base_high,
       f.base_unit, f.comparator, f.period_year, f.sentence, f.value_text, f.mention_count, f.released,
       f.warnings, d.title, d.doc_type, d.publish_date, f.run_id, f.loaded_at
FROM figure_rows f
LEFT JOIN documents d USING (document_id);
COMMENT ON VIEW figures IS 'Every loaded figure with its document context 全部数字（目标与实绩）';

COMMENT ON COLUMN figures.figure_id IS 'Figure id: hash of document content and position 数字编号';
COMMENT ON COLUMN figures.document_id IS 'Document it was found in 文档编号';
COMMENT ON COLUMN figures.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN figures.region_code IS 'GB/T 2260 code of the reporting region 行政区划代码';
COMMENT ON COLUMN figures.region_name IS 'Reporting region 地区名称';
COMMENT ON COLUMN figures.report_year IS 'Report year 报告年份';
COMMENT ON COLUMN figures.kind IS 'target (goal) | actual (achieved figure) 类型（目标/实绩）';
COMMENT ON COLUMN figures.metric_code IS 'Catalog metric code, NULL if not a headline metric 指标代码';
COMMENT ON COLUMN figures.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN figures.value_low IS 'Value (low end of a range) as written; negative for a stated decrease 数值下限';
COMMENT ON COLUMN figures.value_high IS 'High end of a range, else equal to value_low 数值上限';
COMMENT ON COLUMN figures.unit IS 'Unit as written 单位';
COMMENT ON COLUMN figures.value_base_low IS 'value_low converted to the base unit 基本单位数值下限';
COMMENT ON COLUMN figures.value_base_high IS 'value_high converted to the base unit 基本单位数值上限';
COMMENT ON COLUMN figures.base_unit IS 'Base unit 基本单位';
COMMENT ON COLUMN figures.comparator IS 'point | approx (左右) | at_least (以上) | at_most (以内) | range 比较方式';
COMMENT ON COLUMN figures.period_year IS 'Year the figure refers to 所属年份';
COMMENT ON COLUMN figures.sentence IS 'Sentence it was found in 原句';
COMMENT ON COLUMN figures.value_text IS 'The matched text 原文数值';
COMMENT ON COLUMN figures.mention_count IS 'Times the same statement occurs in the document 出现次数';
COMMENT ON COLUMN figures.released IS 'Loaded by a reviewer''s accept despite a critical failure 人工放行';
COMMENT ON COLUMN figures.warnings IS 'Warning checks it failed 警告检查';
COMMENT ON COLUMN figures.title IS 'Report title 标题';
COMMENT ON COLUMN figures.doc_type IS 'Document type 文档类型';
COMMENT ON COLUMN figures.publish_date IS 'Publication date as found in the source 发布日期';
COMMENT ON COLUMN figures.run_id IS 'Run that loaded it 运行编号';
COMMENT ON COLUMN figures.loaded_at IS 'Load time (UTC) 入库时间';

CREATE OR REPLACE VIEW targets AS SELECT * FROM figures WHERE kind = 'target';
COMMENT ON VIEW targets IS 'Loaded figures of kind target 目标';
COMMENT ON COLUMN targets.figure_id IS 'Figure id: hash of document content and position 数字编号';
COMMENT ON COLUMN targets.document_id IS 'Document it was found in 文档编号';
COMMENT ON COLUMN targets.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN targets.region_code IS 'GB/T 2260 code of the reporting region 行政区划代码';
COMMENT ON COLUMN targets.region_name IS 'Reporting region 地区名称';
COMMENT ON COLUMN targets.report_year IS 'Report year 报告年份';
COMMENT ON COLUMN targets.kind IS 'target (goal) | actual (achieved figure) 类型（目标/实绩）';
COMMENT ON COLUMN targets.metric_code IS 'Catalog metric code, NULL if not a headline metric 指标代码';
COMMENT ON COLUMN targets.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN targets.value_low IS 'Value (low end of a range) as written; negative for a stated decrease 数值下限';
COMMENT ON COLUMN targets.value_high IS 'High end of a range, else equal to value_low 数值上限';
COMMENT ON COLUMN targets.unit IS 'Unit as written 单位';
COMMENT ON COLUMN targets.value_base_low IS 'value_low converted to the base unit 基本单位数值下限';
COMMENT ON COLUMN targets.value_base_high IS 'value_high converted to the base unit 基本单位数值上限';
COMMENT ON COLUMN targets.base_unit IS 'Base unit 基本单位';
COMMENT ON COLUMN targets.comparator IS 'point | approx (左右) | at_least (以上) | at_most (以内) | range 比较方式';
COMMENT ON COLUMN targets.period_year IS 'Year the figure refers to 所属年份';
COMMENT ON COLUMN targets.sentence IS 'Sentence it was found in 原句';
COMMENT ON COLUMN targets.value_text IS 'The matched text 原文数值';
COMMENT ON COLUMN targets.mention_count IS 'Times the same statement occurs in the document 出现次数';
COMMENT ON COLUMN targets.released IS 'Loaded by a reviewer''s accept despite a critical failure 人工放行';
COMMENT ON COLUMN targets.warnings IS 'Warning checks it failed 警告检查';
COMMENT ON COLUMN targets.title IS 'Report title 标题';
COMMENT ON COLUMN targets.doc_type IS 'Document type 文档类型';
COMMENT ON COLUMN targets.publish_date IS 'Publication date as found in the source 发布日期';
COMMENT ON COLUMN targets.run_id IS 'Run that loaded it 运行编号';
COMMENT ON COLUMN targets.loaded_at IS 'Load time (UTC) 入库时间';

CREATE OR REPLACE VIEW actuals AS SELECT * FROM figures WHERE kind = 'actual';
COMMENT ON VIEW actuals IS 'Loaded figures of kind actual 实绩';
COMMENT ON COLUMN actuals.figure_id IS 'Figure id: hash of document content and position 数字编号';
COMMENT ON COLUMN actuals.document_id IS 'Document it was found in 文档编号';
COMMENT ON COLUMN actuals.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN actuals.region_code IS 'GB/T 2260 code of the reporting region 行政区划代码';
COMMENT ON COLUMN actuals.region_name IS 'Reporting region 地区名称';
COMMENT ON COLUMN actuals.report_year IS 'Report year 报告年份';
COMMENT ON COLUMN actuals.kind IS 'target (goal) | actual (achieved figure) 类型（目标/实绩）';
COMMENT ON COLUMN actuals.metric_code IS 'Catalog metric code, NULL if not a headline metric 指标代码';
COMMENT ON COLUMN actuals.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN actuals.value_low IS 'Value (low end of a range) as written; negative for a stated decrease 数值下限';
COMMENT ON COLUMN actuals.value_high IS 'High end of a range, else equal to value_low 数值上限';
COMMENT ON COLUMN actuals.unit IS 'Unit as written 单位';
COMMENT ON COLUMN actuals.value_base_low IS 'value_low converted to the base unit 基本单位数值下限';
COMMENT ON COLUMN actuals.value_base_high IS 'value_high converted to the base unit 基本单位数值上限';
COMMENT ON COLUMN actuals.base_unit IS 'Base unit 基本单位';
COMMENT ON COLUMN actuals.comparator IS 'point | approx (左右) | at_least (以上) | at_most (以内) | range 比较方式';
COMMENT ON COLUMN actuals.period_year IS 'Year the figure refers to 所属年份';
COMMENT ON COLUMN actuals.sentence IS 'Sentence it was found in 原句';
COMMENT ON COLUMN actuals.value_text IS 'The matched text 原文数值';
COMMENT ON COLUMN actuals.mention_count IS 'Times the same statement occurs in the document 出现次数';
COMMENT ON COLUMN actuals.released IS 'Loaded by a reviewer''s accept despite a critical failure 人工放行';
COMMENT ON COLUMN actuals.warnings IS 'Warning checks it failed 警告检查';
COMMENT ON COLUMN actuals.title IS 'Report title 标题';
COMMENT ON COLUMN actuals.doc_type IS 'Document type 文档类型';
COMMENT ON COLUMN actuals.publish_date IS 'Publication date as found in the source 发布日期';
COMMENT ON COLUMN actuals.run_id IS 'Run that loaded it 运行编号';
COMMENT ON COLUMN actuals.loaded_at IS 'Load time (UTC) 入库时间';

-- Attainment rule, in the target's stated direction d (d = -1 when both ends of the target are <= 0 with
-- one < 0, i.e. a stated decrease such as 单位GDP能耗下降3% stored as -3; else d = +1). With the actual's
-- value a (midpoint of its base values) and the target's base values lo/hi:
--   at_most (以内/不超过)                    : met when d*a <= max(d*lo, d*hi)  (a ceiling on the movement)
--   point, approx, at_least, range (左右/以上): met when d*a >= min(d*lo, d*hi)  (the less ambitious end
--                                               reached; no tolerance for 左右)
-- A relative 1e-9 tolerance absorbs unit-conversion rounding. 'unknown' when no actual for the same
-- region, metric_code and period_year is loaded, when the units' base differs, or when either side lacks
-- a base value. With several actuals, the one in the target's base unit from the latest report wins.
CREATE OR REPLACE VIEW target_attainment AS
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
