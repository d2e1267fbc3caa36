-- The latest reviewer correction per document (region, report year, type), from review_fields.
CREATE VIEW document_corrections AS
SELECT target_id AS document_id,
       arg_max(value, seq) FILTER (WHERE field = 'region_code') AS region_code,
       arg_max(value, seq) FILTER (WHERE field = 'region_name') AS region_name,
       arg_max(value, seq) FILTER (WHERE field = 'region_level') AS region_level,
       TRY_CAST(arg_max(value, seq) FILTER (WHERE field = 'report_year') AS INTEGER) AS report_year,
       arg_max(value, seq) FILTER (WHERE field = 'doc_type') AS doc_type,
       max(decided_at) AS reviewed_at
FROM review_fields
WHERE target = 'document'
GROUP BY target_id;
COMMENT ON VIEW document_corrections IS 'Latest reviewer corrections of document metadata, from review_log (view review_fields) 文档更正';
COMMENT ON COLUMN document_corrections.document_id IS 'Document id 文档编号';
COMMENT ON COLUMN document_corrections.region_code IS 'Corrected region code 更正后的行政区划代码';
COMMENT ON COLUMN document_corrections.region_name IS 'Corrected region name 更正后的地区名称';
COMMENT ON COLUMN document_corrections.region_level IS 'Corrected region level 更正后的行政级别';
COMMENT ON COLUMN document_corrections.report_year IS 'Corrected report year 更正后的报告年份';
COMMENT ON COLUMN document_corrections.doc_type IS 'Corrected document type 更正后的文档类型';
COMMENT ON COLUMN document_corrections.reviewed_at IS 'Latest correction time (UTC) 最近更正时间';
