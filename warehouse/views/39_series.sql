-- One row per series key (region, metric_code, basis, span start/end, kind): the value from the statement of
-- rank 1 in series_statements (the latest report wins), the document it came from, how many documents state
-- it, whether a later report revised an earlier value, and whether statements of equal standing conflict.
CREATE VIEW series AS
WITH statements AS MATERIALIZED (SELECT * FROM series_statements),
per_key AS (
    SELECT region_key, metric_code, basis, period_start_year, period_year, kind,
           count(DISTINCT document_id) AS document_count, count(*) AS statement_count,
           count(DISTINCT [base_unit, CAST(round(value_base_low, 6) AS VARCHAR),
                           CAST(round(value_base_high, 6) AS VARCHAR)]) FILTER (WHERE NOT absent) AS value_count,
           bool_or(conflicts_with IS NOT NULL) AS conflict
    FROM statements
    GROUP BY ALL
),
chosen AS (SELECT * FROM statements WHERE statement_rank = 1),
revisions AS (
    SELECT c.region_key, c.metric_code, c.basis, c.period_start_year, c.period_year, c.kind,
           arg_min(e.value_label || ' (' || e.source_file || coalesce(', ' || e.report_year, '') || ')',
                   e.statement_rank) AS revised_from
    FROM chosen c
    JOIN statements e
      ON e.region_key = c.region_key AND e.metric_code = c.metric_code AND e.basis = c.basis
     AND e.period_start_year = c.period_start_year AND e.period_year = c.period_year AND e.kind = c.kind
    WHERE e.report_year < c.report_year AND NOT e.absent AND NOT c.absent
      AND (e.base_unit IS DISTINCT FROM c.base_unit
           OR abs(e.value_base_low - c.value_base_low) > 1e-9 * greatest(1, abs(c.value_base_low))
           OR abs(e.value_base_high - c.value_base_high) > 1e-9 * greatest(1, abs(c.value_base_high)))
    GROUP BY ALL
)
SELECT c.region_code, c.region_name, c.metric_code, c.basis, c.period_start_year, c.period_year, c.kind,
       c.value_low, c.value_high, c.unit, c.value_base_low, c.value_base_high, c.base_unit, c.comparator,
       c.absent, c.figure_id, c.document_id, c.source_file, c.report_year, c.sentence,
       k.document_count, k.statement_count, k.value_count, r.revised_from IS NOT NULL AS revised, r.revised_from,
       k.conflict, c.region_key, c.value_label, c.headline_code
FROM chosen c
JOIN per_key k USING (region_key, metric_code, basis, period_start_year, period_year, kind)
LEFT JOIN revisions r USING (region_key, metric_code, basis, period_start_year, period_year, kind);
COMMENT ON VIEW series IS 'One row per region, metric, basis, span and kind: the value chosen from all documents that state it (the latest report supersedes earlier ones: a revision, both kept in figures), its document, and how many documents state it 指标序列';
COMMENT ON COLUMN series.absent IS 'The report explicitly declines to set this target (没有提出…具体目标); value NULL. A target the extractor missed has no row 明确未设目标';
COMMENT ON COLUMN series.figure_id IS 'Figure the value comes from (qualitative_id for an explicit absence) 数字编号';
COMMENT ON COLUMN series.document_id IS 'Document the value comes from 来源文档';
COMMENT ON COLUMN series.report_year IS 'Year of the report the value comes from 来源报告年份';
COMMENT ON COLUMN series.document_count IS 'Documents that state this series value 陈述文档数';
COMMENT ON COLUMN series.statement_count IS 'Statements of it (figures and explicit absences) 陈述次数';
COMMENT ON COLUMN series.value_count IS 'Distinct values stated 不同数值个数';
COMMENT ON COLUMN series.revised IS 'An earlier report stated another value, superseded by this one 已修订';
COMMENT ON COLUMN series.revised_from IS 'The latest superseded value: value (file, report year) 修订前数值';
COMMENT ON COLUMN series.conflict IS 'Statements of equal standing (same report year, same base unit) disagree; see series_statements.conflicts_with 存在冲突';
COMMENT ON COLUMN series.value_label IS 'Value and unit as written (4.5–5%) 数值文本';
COMMENT ON COLUMN series.region_key IS 'Series region: region_code, else region_name 序列地区键';
