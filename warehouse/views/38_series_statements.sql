-- Every statement of a series value: each figure with a catalog metric, a year and a region, plus each explicit
-- absence of a target (a report that declines to set one). Series key: region (code, else name), metric_code,
-- basis, period_start_year, period_year, kind.
-- Rank 1 is the statement the series uses: the latest report wins (a later report's figure for the same year
-- supersedes an earlier one: a revision); within a report a number before an absence, then the metric's
-- catalog base unit, then the later publication.
-- conflicts_with: the other statements of the same key, base unit and report year whose value differs
-- (two statements of equal standing that disagree); it feeds the figures_warehouse.warning check.
CREATE VIEW series_statements AS
WITH stated AS (
    SELECT f.figure_id, f.document_id, f.source_file, f.region_code, f.region_name,
           coalesce(f.region_code, f.region_name) AS region_key, f.report_year, f.publish_date, f.kind,
           f.metric_code, f.basis, f.period_start_year, f.period_year, f.value_low, f.value_high, f.unit,
           f.value_base_low, f.value_base_high, f.base_unit, f.comparator, f.sentence, false AS absent,
           coalesce(f.base_unit = u.base_unit, false) AS catalog_unit, f.headline_code
    FROM figures f
    LEFT JOIN metrics m ON m.code = f.metric_code
    LEFT JOIN units u ON u.unit = m.unit
    WHERE f.metric_code IS NOT NULL AND f.period_year IS NOT NULL
      AND coalesce(f.region_code, f.region_name) IS NOT NULL
    UNION ALL
    SELECT q.qualitative_id, q.document_id, q.source_file, d.region_code, d.region_name,
           coalesce(d.region_code, d.region_name), d.report_year, d.publish_date, q.kind, q.metric_code,
           'annual', q.period_year, q.period_year, NULL, NULL, NULL, NULL, NULL, NULL, NULL, q.sentence, true, false,
           m.headline_code
    FROM qualitative_targets q
    JOIN current_documents d USING (document_id)
    LEFT JOIN metrics m ON m.code = q.metric_code
    WHERE q.declines_number AND q.metric_code IS NOT NULL AND q.period_year IS NOT NULL
      AND coalesce(d.region_code, d.region_name) IS NOT NULL
),
described AS (
    SELECT *,
           regexp_replace(CAST(value_low AS VARCHAR), '\.0$', '')
           || CASE WHEN value_high IS DISTINCT FROM value_low
                   THEN '–' || regexp_replace(CAST(value_high AS VARCHAR), '\.0$', '') ELSE '' END
           || coalesce(unit, '') AS value_label
    FROM stated
),
conflicts AS (
    SELECT a.document_id, a.figure_id,
           string_agg(b.value_label || ' (' || b.source_file || coalesce(', ' || b.report_year, '') || '): '
                      || b.sentence, ' | ' ORDER BY b.source_file, b.figure_id) AS conflicts_with
    FROM described a
    JOIN described b
      ON a.region_key = b.region_key AND a.metric_code = b.metric_code AND a.basis = b.basis
     AND a.period_start_year = b.period_start_year AND a.period_year = b.period_year AND a.kind = b.kind
     AND a.base_unit = b.base_unit AND a.report_year IS NOT DISTINCT FROM b.report_year
     AND NOT (a.document_id = b.document_id AND a.figure_id = b.figure_id)
    WHERE NOT a.absent AND NOT b.absent
      AND (abs(a.value_base_low - b.value_base_low) > 1e-9 * greatest(1, abs(a.value_base_low))
           OR abs(a.value_base_high - b.value_base_high) > 1e-9 * greatest(1, abs(a.value_base_high)))
    GROUP BY a.document_id, a.figure_id
)
SELECT s.figure_id, s.document_id, s.source_file, s.region_code, s.region_name, s.region_key, s.report_year,
       s.kind, s.metric_code, s.basis, s.period_start_year, s.period_year, s.value_low, s.value_high, s.unit,
       s.value_base_low, s.value_base_high, s.base_unit, s.comparator, s.sentence, s.absent, s.value_label,
       row_number() OVER (
           PARTITION BY s.region_key, s.metric_code, s.basis, s.period_start_year, s.period_year, s.kind
           ORDER BY s.report_year DESC NULLS LAST, s.absent, s.catalog_unit DESC, s.publish_date DESC NULLS LAST,
                    s.document_id, s.figure_id) AS statement_rank,
       c.conflicts_with, s.headline_code
FROM described s
LEFT JOIN conflicts c USING (document_id, figure_id);
COMMENT ON VIEW series_statements IS 'Every statement of a series value (figures with metric, year and region; explicit absences of a target), ranked: rank 1 is the one the series uses (latest report wins) 序列陈述';
COMMENT ON COLUMN series_statements.figure_id IS 'Figure id (qualitative_id for an explicit absence) 数字编号';
COMMENT ON COLUMN series_statements.region_key IS 'Series region: region_code, else region_name 序列地区键';
COMMENT ON COLUMN series_statements.absent IS 'An explicit absence: the report declines to set this target (value NULL) 明确未设目标';
COMMENT ON COLUMN series_statements.value_label IS 'Value and unit as written (4.5–5%) 数值文本';
COMMENT ON COLUMN series_statements.statement_rank IS '1 = the statement the series uses; later ranks are superseded or equal statements 排序';
COMMENT ON COLUMN series_statements.conflicts_with IS 'Other statements of the same key, base unit and report year with a different value: value (file, report year): sentence 冲突陈述';
