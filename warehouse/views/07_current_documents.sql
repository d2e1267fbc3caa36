-- The documents every view reads (one home for the rule): current ones only — a retired document (its file left
-- the inbox) stays in documents as history — one copy of each near-duplicate report (warehouse/duplicates.py), with
-- reviewers' document corrections applied (document_corrections). Columns take their comments from `documents`.
CREATE VIEW current_documents AS
SELECT d.* REPLACE (coalesce(dc.region_code, d.region_code) AS region_code,
                    coalesce(dc.region_name, d.region_name) AS region_name,
                    coalesce(dc.region_level, d.region_level) AS region_level,
                    coalesce(dc.report_year, d.report_year) AS report_year,
                    coalesce(dc.doc_type, d.doc_type) AS doc_type)
FROM documents d
LEFT JOIN document_corrections dc USING (document_id)
WHERE d.retired_run_id IS NULL AND d.duplicate_of IS NULL;
COMMENT ON VIEW current_documents IS 'Current documents (not retired, one copy of each near-duplicate report) with reviewers'' corrections of region, report year and type applied: what every view reads 当前文档';
