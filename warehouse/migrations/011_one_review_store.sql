-- One store of reviewers' decisions: every accept, reject, correction and document correction is one row of
-- review_log (a history, never updated except to follow an edited report to its new ids); the current state is
-- derived from it (views figure_corrections, document_corrections, open_items). Replaces review_decisions
-- (accept/reject of quarantined figures, last-wins) and the one-row-per-field review_log of 010; every decision of
-- both is kept.
CREATE TABLE review_log_011 (
    seq BIGINT,
    action VARCHAR NOT NULL CHECK (action IN ('accept', 'reject', 'correct', 'set_document')),
    target VARCHAR NOT NULL CHECK (target IN ('figure', 'document')),
    target_id VARCHAR NOT NULL,
    changes MAP(VARCHAR, VARCHAR) NOT NULL,
    note VARCHAR,
    reviewer VARCHAR,
    decided_at TIMESTAMP NOT NULL,
    document_id VARCHAR,
    source_file VARCHAR,
    content_hash VARCHAR,
    sentence VARCHAR,
    value_text VARCHAR,
    value_position INTEGER,
    previous_ids VARCHAR[],
    reattached_at TIMESTAMP
);

-- 010's log: a status row is one decision; the other rows of one target written at one time are one correction.
INSERT INTO review_log_011 (seq, action, target, target_id, changes, note, reviewer, decided_at)
SELECT min(seq),
       CASE WHEN target = 'document' THEN 'set_document' WHEN status_seq IS NULL THEN 'correct'
            WHEN any_value(value) = 'accepted' THEN 'accept' ELSE 'reject' END,
       target, target_id,
       CASE WHEN status_seq IS NULL THEN map(list(field ORDER BY seq), list(value ORDER BY seq))
            ELSE CAST(MAP {} AS MAP(VARCHAR, VARCHAR)) END,
       note, reviewer, decided_at
FROM (SELECT *, CASE WHEN field = 'status' THEN seq END AS status_seq FROM review_log)
GROUP BY target, target_id, status_seq, note, reviewer, decided_at;

-- review_decisions (the latest accept/reject of a quarantined figure, with what re-attachment matches it by): a row
-- that the log also holds (written with it by the same review action) lends it its anchors; any other is added.
UPDATE review_log_011 SET document_id = r.document_id, source_file = r.source_file, content_hash = r.content_hash,
       sentence = r.sentence, value_text = r.value_text, value_position = r.value_position,
       previous_ids = r.previous_figure_ids, reattached_at = r.reattached_at
FROM review_decisions r
WHERE review_log_011.target = 'figure' AND review_log_011.target_id = r.figure_id;
INSERT INTO review_log_011
SELECT NULL AS seq, CASE r.decision WHEN 'accepted' THEN 'accept' ELSE 'reject' END, 'figure', r.figure_id,
       CAST(MAP {} AS MAP(VARCHAR, VARCHAR)),
       r.note, r.decided_by, r.decided_at, r.document_id, r.source_file, r.content_hash, r.sentence, r.value_text,
       r.value_position, r.previous_figure_ids, r.reattached_at
FROM review_decisions r
WHERE NOT EXISTS (
    SELECT 1 FROM review_log_011 l
    WHERE l.target = 'figure' AND l.target_id = r.figure_id
      AND l.action = CASE r.decision WHEN 'accepted' THEN 'accept' ELSE 'reject' END
      AND l.note IS NOT DISTINCT FROM r.note AND l.reviewer IS NOT DISTINCT FROM r.decided_by
      AND l.decided_at BETWEEN r.decided_at AND r.decided_at + INTERVAL 1 MINUTE);

-- Anchors of decisions only the log held: the figure as loaded (a current document first), else as quarantined.
UPDATE review_log_011 SET document_id = f.document_id, source_file = f.source_file, content_hash = f.content_hash,
       sentence = f.sentence, value_text = f.value_text, value_position = f.value_position
FROM (SELECT x.figure_id, x.document_id, x.source_file, d.content_hash, x.sentence, x.value_text,
             x.end_offset - length(x.value_text) - x.sentence_offset AS value_position
      FROM (SELECT figure_id, document_id, source_file, sentence, value_text, end_offset, sentence_offset,
                   0 AS rank, loaded_at AS at FROM figure_rows
            UNION ALL
            SELECT figure_id, document_id, source_file, sentence, value_text, end_offset, sentence_offset,
                   1 AS rank, quarantined_at AS at FROM quarantine WHERE level = 'figure') x
      LEFT JOIN documents d USING (document_id)
      QUALIFY row_number() OVER (PARTITION BY x.figure_id
                                 ORDER BY d.retired_run_id IS NULL DESC, x.rank, x.at DESC) = 1) f
WHERE review_log_011.target = 'figure' AND review_log_011.sentence IS NULL AND review_log_011.target_id = f.figure_id;
UPDATE review_log_011 SET document_id = d.document_id, source_file = d.source_file, content_hash = d.content_hash
FROM documents d
WHERE review_log_011.target = 'document' AND review_log_011.target_id = d.document_id;

-- One order for the merged history: by time, the log's own order among equal times.
UPDATE review_log_011 SET seq = n.seq
FROM (SELECT rowid AS id, row_number() OVER (ORDER BY decided_at, seq NULLS FIRST, target_id) AS seq
      FROM review_log_011) n
WHERE review_log_011.rowid = n.id;

DROP TABLE review_decisions;
DROP TABLE review_log;
ALTER TABLE review_log_011 RENAME TO review_log;
ALTER TABLE review_log ALTER COLUMN seq SET NOT NULL;

COMMENT ON TABLE review_log IS 'Every reviewer decision, oldest first (accept, reject, correct, set_document); survives re-runs and re-extraction 审核记录';
COMMENT ON COLUMN review_log.seq IS 'Order of the decisions (the latest wins per target and field) 序号';
COMMENT ON COLUMN review_log.action IS 'accept | reject (a figure, loaded or quarantined) | correct (a loaded figure''s values) | set_document (a document''s region, year or type) 操作';
COMMENT ON COLUMN review_log.target IS 'figure | document 对象类型';
COMMENT ON COLUMN review_log.target_id IS 'figure_id or document_id it applies to (follows an edited report to its new ids) 对象编号';
COMMENT ON COLUMN review_log.changes IS 'Corrected column → new value as text; empty for accept and reject 更正内容';
COMMENT ON COLUMN review_log.note IS 'Reviewer''s note 审核备注';
COMMENT ON COLUMN review_log.reviewer IS 'Who decided 审核人';
COMMENT ON COLUMN review_log.decided_at IS 'When (UTC) 审核时间';
COMMENT ON COLUMN review_log.document_id IS 'Document the target was in when decided 文档编号';
COMMENT ON COLUMN review_log.source_file IS 'File the target was in when decided 源文件';
COMMENT ON COLUMN review_log.content_hash IS 'SHA-256 of that document''s decoded text 内容哈希';
COMMENT ON COLUMN review_log.sentence IS 'Sentence the figure was found in 原句';
COMMENT ON COLUMN review_log.value_text IS 'The value as written 原文数值';
COMMENT ON COLUMN review_log.value_position IS 'Offset of the value in its sentence 句内位置';
COMMENT ON COLUMN review_log.previous_ids IS 'Earlier ids of the target, oldest first, when a re-extraction found it under a new id 曾用编号';
COMMENT ON COLUMN review_log.reattached_at IS 'When it was last re-attached to a re-extracted figure or document (UTC) 重新关联时间';
