-- Reviewers' decisions and corrections, as a history (one row per decision and field, never updated):
-- accept or reject a figure, correct its value, unit, kind, period or metric, correct a document's region,
-- year or type. The views figure_corrections and document_corrections fold it into the latest value per field.
CREATE TABLE review_log (
    seq BIGINT PRIMARY KEY,
    target VARCHAR NOT NULL CHECK (target IN ('figure', 'document')),
    target_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR,
    note VARCHAR,
    reviewer VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE review_log IS 'Every reviewer decision and correction, oldest first; survives re-runs and re-extraction 审核与更正记录';
COMMENT ON COLUMN review_log.seq IS 'Order of the entries (later wins per target and field) 序号';
COMMENT ON COLUMN review_log.target IS 'figure | document 对象类型';
COMMENT ON COLUMN review_log.target_id IS 'figure_id or document_id 对象编号';
COMMENT ON COLUMN review_log.field IS 'status (accepted | rejected) or the corrected column 字段';
COMMENT ON COLUMN review_log.value IS 'New value as text; NULL clears an earlier correction 新值';
COMMENT ON COLUMN review_log.note IS 'Reviewer''s note 审核备注';
COMMENT ON COLUMN review_log.reviewer IS 'Who decided 审核人';
COMMENT ON COLUMN review_log.decided_at IS 'When (UTC) 审核时间';
