-- review_log unfolded into one row per decision and field (an accept or reject is the field 'status'): what
-- figure_corrections and document_corrections fold into the latest value per field.
CREATE VIEW review_fields AS
SELECT seq, target, target_id, 'status' AS field,
       CASE action WHEN 'accept' THEN 'accepted' ELSE 'rejected' END AS value, note, reviewer, decided_at
FROM review_log WHERE action IN ('accept', 'reject')
UNION ALL
SELECT seq, target, target_id, unnest(map_keys(changes)) AS field, unnest(map_values(changes)) AS value, note,
       reviewer, decided_at
FROM review_log WHERE action IN ('correct', 'set_document');
COMMENT ON VIEW review_fields IS 'Every reviewer decision per field, from review_log 审核记录（按字段）';
COMMENT ON COLUMN review_fields.seq IS 'Order of the decision (later wins per target and field) 序号';
COMMENT ON COLUMN review_fields.target IS 'figure | document 对象类型';
COMMENT ON COLUMN review_fields.target_id IS 'figure_id or document_id 对象编号';
COMMENT ON COLUMN review_fields.field IS 'status (accepted | rejected) or the corrected column 字段';
COMMENT ON COLUMN review_fields.value IS 'New value as text 新值';
COMMENT ON COLUMN review_fields.note IS 'Reviewer''s note 审核备注';
COMMENT ON COLUMN review_fields.reviewer IS 'Who decided 审核人';
COMMENT ON COLUMN review_fields.decided_at IS 'When (UTC) 审核时间';
