-- The inbox's history and reviewers' decisions survive change (issue 14).

-- A document whose file left the inbox is retired, not deleted: its rows stay as history and leave the views.
ALTER TABLE documents ADD COLUMN retired_run_id VARCHAR;
ALTER TABLE documents ADD COLUMN retired_at TIMESTAMP;
COMMENT ON COLUMN documents.retired_run_id IS 'Run that retired it because its file left the inbox; NULL while current 退役运行编号';
COMMENT ON COLUMN documents.retired_at IS 'When it was retired (UTC) 退役时间';
COMMENT ON COLUMN documents.document_id IS 'Document id: hash of its decoded text and bundle row key (a second live copy of the same text adds its path); kept when the file is renamed 文档编号';
COMMENT ON COLUMN documents.source_file IS 'File name relative to the inbox (follows a rename) 源文件';
COMMENT ON COLUMN figure_rows.figure_id IS 'Figure id: hash of the document text, the sentence, the value as written and its occurrence in that sentence; rule changes keep it 数字编号';
COMMENT ON COLUMN qualitative_targets.qualitative_id IS 'Id: hash of the document text, the sentence and the goal as written 定性目标编号';

-- run_files gains the outcomes retired (the file left the inbox) and moved (renamed: same content, new path).
CREATE TABLE run_files_v7 (
    run_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    file_hash VARCHAR,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'quarantined', 'skipped', 'retired', 'moved')),
    reason VARCHAR,
    PRIMARY KEY (run_id, source_file)
);
INSERT INTO run_files_v7 SELECT run_id, source_file, file_hash, outcome, reason FROM run_files;
DROP TABLE run_files;
ALTER TABLE run_files_v7 RENAME TO run_files;
COMMENT ON TABLE run_files IS 'What each run did with every file it saw or missed 每次运行的文件处理记录';
COMMENT ON COLUMN run_files.run_id IS 'Run id 运行编号';
COMMENT ON COLUMN run_files.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN run_files.file_hash IS 'SHA-256 of the file bytes 文件哈希';
COMMENT ON COLUMN run_files.outcome IS 'loaded | skipped (unchanged) | quarantined | retired (left the inbox) | moved (renamed, same content) 处理结果';
COMMENT ON COLUMN run_files.reason IS 'Why it was skipped, quarantined or retired; the old name of a moved file 原因';

ALTER TABLE runs ADD COLUMN files_moved INTEGER;
ALTER TABLE runs ADD COLUMN files_retired INTEGER;
COMMENT ON COLUMN runs.files_moved IS 'Files recognised as renamed (same content, new path) 移动文件数';
COMMENT ON COLUMN runs.files_retired IS 'Files that left the inbox, their documents retired 退役文件数';

-- A decision is keyed by the figure id and keeps what the text fixes, so it can be found again after any change.
ALTER TABLE review_decisions ADD COLUMN document_id VARCHAR;
ALTER TABLE review_decisions ADD COLUMN source_file VARCHAR;
ALTER TABLE review_decisions ADD COLUMN content_hash VARCHAR;
ALTER TABLE review_decisions ADD COLUMN sentence VARCHAR;
ALTER TABLE review_decisions ADD COLUMN value_text VARCHAR;
ALTER TABLE review_decisions ADD COLUMN value_position INTEGER;
ALTER TABLE review_decisions ADD COLUMN previous_figure_ids VARCHAR[];
ALTER TABLE review_decisions ADD COLUMN reattached_at TIMESTAMP;
COMMENT ON COLUMN review_decisions.figure_id IS 'Figure id it applies to (see figure_rows.figure_id) 数字编号';
COMMENT ON COLUMN review_decisions.document_id IS 'Document the figure was in when decided 文档编号';
COMMENT ON COLUMN review_decisions.source_file IS 'File the figure was in when decided 源文件';
COMMENT ON COLUMN review_decisions.content_hash IS 'SHA-256 of that document''s decoded text 内容哈希';
COMMENT ON COLUMN review_decisions.sentence IS 'Sentence the figure was found in 原句';
COMMENT ON COLUMN review_decisions.value_text IS 'The value as written 原文数值';
COMMENT ON COLUMN review_decisions.value_position IS 'Offset of the value in its sentence 句内位置';
COMMENT ON COLUMN review_decisions.previous_figure_ids IS 'Earlier ids of the figure, oldest first, when a re-extraction found it under a new id 曾用编号';
COMMENT ON COLUMN review_decisions.reattached_at IS 'When it was last re-attached to a re-extracted figure (UTC) 重新关联时间';

UPDATE review_decisions SET document_id = q.document_id, source_file = q.source_file, sentence = q.sentence,
       value_text = q.value_text, value_position = q.end_offset - length(q.value_text) - q.sentence_offset
FROM (SELECT * FROM quarantine WHERE level = 'figure'
      QUALIFY row_number() OVER (PARTITION BY figure_id ORDER BY quarantined_at DESC, quarantine_id) = 1) q
WHERE q.figure_id = review_decisions.figure_id;
UPDATE review_decisions SET content_hash = d.content_hash
FROM documents d WHERE d.document_id = review_decisions.document_id;
