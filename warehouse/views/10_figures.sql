-- Analyst view (public contract): extend it with new columns at the end, never break it.
CREATE VIEW figures AS
SELECT f.figure_id, f.document_id, f.source_file, d.region_code, d.region_name, d.report_year, f.kind,
       f.metric_code, f.metric_name, f.value_low, f.value_high, f.unit, f.value_base_low, f.value_base_high,
       f.base_unit, f.comparator, f.period_year, f.sentence, f.value_text, f.mention_count, f.released,
       f.warnings, d.title, d.doc_type, d.publish_date, f.run_id, f.loaded_at,
       coalesce(f.basis, 'annual') AS basis, coalesce(f.period_start_year, f.period_year) AS period_start_year,
       m.headline_code,
       d.region_level, d.province_code, d.province_name, d.prefecture_code, d.prefecture_name,
       f.review_status
-- figure_rows with reviewers' corrections applied and rejected figures left out (review_log); the document's
-- region and report year (corrected) from current_documents, which also leaves out retired and duplicate copies
FROM (SELECT f.* REPLACE (
             coalesce(c.kind, f.kind) AS kind, coalesce(c.metric_code, f.metric_code) AS metric_code,
             coalesce(c.value_low, f.value_low) AS value_low, coalesce(c.value_high, f.value_high) AS value_high,
             coalesce(c.unit, f.unit) AS unit, coalesce(c.value_base_low, f.value_base_low) AS value_base_low,
             coalesce(c.value_base_high, f.value_base_high) AS value_base_high,
             coalesce(c.base_unit, f.base_unit) AS base_unit, coalesce(c.period_year, f.period_year) AS period_year,
             CASE WHEN c.period_year IS NOT NULL AND coalesce(f.basis, 'annual') = 'annual' THEN c.period_year
                  ELSE f.period_start_year END AS period_start_year),
             CASE WHEN c.corrected THEN 'corrected' ELSE c.status END AS review_status
      FROM figure_rows f
      LEFT JOIN figure_corrections c USING (figure_id)
      WHERE c.status IS DISTINCT FROM 'rejected') f
JOIN current_documents d USING (document_id)
LEFT JOIN metrics m ON m.code = f.metric_code;
COMMENT ON VIEW figures IS 'Every loaded figure of a current document, one copy of each near-duplicate report, with its document context 全部数字（目标与实绩）';

COMMENT ON COLUMN figures.figure_id IS 'Figure id: hash of the document text, the sentence, the value as written and its occurrence there 数字编号';
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
COMMENT ON COLUMN figures.basis IS 'annual (this year, or a level at a date) | average_annual (年均 over period_start_year–period_year) | cumulative (a total over the span, 累计) 口径';
COMMENT ON COLUMN figures.period_start_year IS 'First year of the span the value covers; equals period_year for annual figures 起始年份';
COMMENT ON COLUMN figures.headline_code IS 'Headline code the metric rolls up to (resident_income_growth for 城镇居民人均可支配收入增长; the metric_code itself for a headline metric): query it to cover reports that split a series and reports that do not 对应核心指标代码';
COMMENT ON COLUMN figures.region_level IS 'Administrative level of the reporting region: national | province | city | district | county | street 行政级别';
COMMENT ON COLUMN figures.province_code IS 'GB/T 2260 code of the province-level unit the region lies in (NULL for 全国) 所属省级区划代码';
COMMENT ON COLUMN figures.province_name IS 'Province-level unit the region lies in 所属省级区划';
COMMENT ON COLUMN figures.prefecture_code IS 'GB/T 2260 code of the prefecture-level unit the region lies in 所属地级区划代码';
COMMENT ON COLUMN figures.prefecture_name IS 'Prefecture-level unit the region lies in 所属地级区划';
COMMENT ON COLUMN figures.review_status IS 'accepted | corrected (a reviewer changed a value) | NULL (not reviewed); rejected figures are not in the view 审核状态';
