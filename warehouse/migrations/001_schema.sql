-- Core tables of the mubiao warehouse. Timestamps are UTC.

-- Reference data (replaced from seeds/reference/*.csv by sync_reference) ------------------------

CREATE TABLE regions (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR,
    parent_code VARCHAR,
    aliases VARCHAR[]
);
COMMENT ON TABLE regions IS 'Region gazetteer 行政区划 (from seeds/reference/regions.csv)';
COMMENT ON COLUMN regions.code IS 'GB/T 2260 region code 行政区划代码';
COMMENT ON COLUMN regions.name IS 'Official full name 地区全称';
COMMENT ON COLUMN regions.level IS 'Administrative level (province/city/district) 行政级别';
COMMENT ON COLUMN regions.parent_code IS 'Code of the parent region 上级行政区划代码';
COMMENT ON COLUMN regions.aliases IS 'Short names and other spellings 简称与别名';

CREATE TABLE metrics (
    code VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL,
    name_en VARCHAR,
    measure VARCHAR,
    unit VARCHAR,
    aliases VARCHAR[],
    plausible_min DOUBLE,
    plausible_max DOUBLE
);
COMMENT ON TABLE metrics IS 'Metric catalog 指标目录 (from seeds/reference/metrics.csv)';
COMMENT ON COLUMN metrics.code IS 'Metric code 指标代码';
COMMENT ON COLUMN metrics.name_zh IS 'Chinese name 中文名称';
COMMENT ON COLUMN metrics.name_en IS 'English name 英文名称';
COMMENT ON COLUMN metrics.measure IS 'What is measured (level, growth, rate, ...) 计量类型';
COMMENT ON COLUMN metrics.unit IS 'Usual unit as written 常用单位';
COMMENT ON COLUMN metrics.aliases IS 'Subject phrases that name this metric 指标别名';
COMMENT ON COLUMN metrics.plausible_min IS 'Lowest plausible value, in the usual unit 合理下限';
COMMENT ON COLUMN metrics.plausible_max IS 'Highest plausible value, in the usual unit 合理上限';

CREATE TABLE units (
    unit VARCHAR PRIMARY KEY,
    base_unit VARCHAR NOT NULL,
    factor DOUBLE NOT NULL,
    family VARCHAR
);
COMMENT ON TABLE units IS 'Units and their conversion to a base unit 计量单位 (from seeds/reference/units.csv)';
COMMENT ON COLUMN units.unit IS 'Unit as written 单位';
COMMENT ON COLUMN units.base_unit IS 'Base unit it converts to 基本单位';
COMMENT ON COLUMN units.factor IS 'Multiply by this to get the base unit 换算系数';
COMMENT ON COLUMN units.family IS 'Unit family (currency, people, area, ...) 单位类别';

-- Runs and incremental state ---------------------------------------------------------------------

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    inbox VARCHAR,
    options JSON,
    files_seen INTEGER,
    files_loaded INTEGER,
    files_skipped INTEGER,
    files_quarantined INTEGER,
    documents_loaded INTEGER,
    documents_quarantined INTEGER,
    figures_loaded INTEGER,
    figures_quarantined INTEGER,
    warnings INTEGER,
    report_path VARCHAR
);
COMMENT ON TABLE runs IS 'One row per ingestion run 运行记录';
COMMENT ON COLUMN runs.run_id IS 'Run id (sortable) 运行编号';
COMMENT ON COLUMN runs.started_at IS 'Start time (UTC) 开始时间';
COMMENT ON COLUMN runs.finished_at IS 'End time (UTC), NULL while running 结束时间';
COMMENT ON COLUMN runs.status IS 'running | succeeded | failed 运行状态';
COMMENT ON COLUMN runs.inbox IS 'Inbox folder read 收件目录';
COMMENT ON COLUMN runs.options IS 'Run options as JSON 运行参数';
COMMENT ON COLUMN runs.files_seen IS 'Files found in the inbox 发现文件数';
COMMENT ON COLUMN runs.files_loaded IS 'Files loaded 入库文件数';
COMMENT ON COLUMN runs.files_skipped IS 'Files skipped as unchanged 跳过文件数';
COMMENT ON COLUMN runs.files_quarantined IS 'Files quarantined 隔离文件数';
COMMENT ON COLUMN runs.documents_loaded IS 'Documents loaded 入库文档数';
COMMENT ON COLUMN runs.documents_quarantined IS 'Documents quarantined whole 隔离文档数';
COMMENT ON COLUMN runs.figures_loaded IS 'Figures loaded 入库数字数';
COMMENT ON COLUMN runs.figures_quarantined IS 'Figures quarantined 隔离数字数';
COMMENT ON COLUMN runs.warnings IS 'Loaded figures with at least one failed warning check 警告数';
COMMENT ON COLUMN runs.report_path IS 'Path of the run summary page 运行报告路径';

CREATE TABLE source_files (
    source_file VARCHAR PRIMARY KEY,
    file_hash VARCHAR,
    size_bytes BIGINT,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'quarantined', 'skipped')),
    reason VARCHAR,
    document_count INTEGER,
    last_run_id VARCHAR,
    updated_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE source_files IS 'Incremental state: the last processed version of every inbox file 源文件状态';
COMMENT ON COLUMN source_files.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN source_files.file_hash IS 'SHA-256 of the file bytes last processed 文件哈希';
COMMENT ON COLUMN source_files.size_bytes IS 'File size in bytes 文件大小';
COMMENT ON COLUMN source_files.outcome IS 'loaded | quarantined (last processing) | skipped (never processed) 处理结果';
COMMENT ON COLUMN source_files.reason IS 'Why it was quarantined or skipped 原因';
COMMENT ON COLUMN source_files.document_count IS 'Documents read from the file 文档数';
COMMENT ON COLUMN source_files.last_run_id IS 'Last run that saw the file 最近运行编号';
COMMENT ON COLUMN source_files.updated_at IS 'When a run last recorded the file (UTC) 更新时间';

CREATE TABLE run_files (
    run_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    file_hash VARCHAR,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'quarantined', 'skipped')),
    reason VARCHAR,
    PRIMARY KEY (run_id, source_file)
);
COMMENT ON TABLE run_files IS 'What each run did with every file it saw 每次运行的文件处理记录';
COMMENT ON COLUMN run_files.run_id IS 'Run id 运行编号';
COMMENT ON COLUMN run_files.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN run_files.file_hash IS 'SHA-256 of the file bytes 文件哈希';
COMMENT ON COLUMN run_files.outcome IS 'loaded | skipped (unchanged) | quarantined 处理结果';
COMMENT ON COLUMN run_files.reason IS 'Why it was skipped or quarantined 原因';

-- Loaded content (document-scoped: replaced as a whole when a document is reloaded) ---------------

CREATE TABLE documents (
    document_id VARCHAR PRIMARY KEY,
    source_file VARCHAR NOT NULL,
    part VARCHAR,
    content_hash VARCHAR NOT NULL,
    fmt VARCHAR,
    encoding VARCHAR,
    title VARCHAR,
    doc_type VARCHAR,
    region_code VARCHAR,
    region_name VARCHAR,
    region_level VARCHAR,
    report_year INTEGER,
    publish_date VARCHAR,
    source_url VARCHAR,
    issuer VARCHAR,
    char_count INTEGER,
    cjk_ratio DOUBLE,
    figure_count INTEGER,
    extractor_version VARCHAR NOT NULL,
    text VARCHAR,
    raw_text VARCHAR,
    raw_meta JSON,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE documents IS 'One row per loaded report, with its text 报告文档';
COMMENT ON COLUMN documents.document_id IS 'Document id: hash of file name and part 文档编号';
COMMENT ON COLUMN documents.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN documents.part IS 'Row key inside a bundle file, empty for a single report 文件内分部';
COMMENT ON COLUMN documents.content_hash IS 'SHA-256 of the decoded text (figure ids derive from it) 内容哈希';
COMMENT ON COLUMN documents.fmt IS 'File format (txt, html, pdf, docx, ...) 文件格式';
COMMENT ON COLUMN documents.encoding IS 'Detected text encoding 字符编码';
COMMENT ON COLUMN documents.title IS 'Report title 标题';
COMMENT ON COLUMN documents.doc_type IS 'Document type (work report, news, ...) 文档类型';
COMMENT ON COLUMN documents.region_code IS 'GB/T 2260 code of the reporting region 行政区划代码';
COMMENT ON COLUMN documents.region_name IS 'Reporting region 地区名称';
COMMENT ON COLUMN documents.region_level IS 'Administrative level of the region 行政级别';
COMMENT ON COLUMN documents.report_year IS 'Report year 报告年份';
COMMENT ON COLUMN documents.publish_date IS 'Publication date as found in the source 发布日期';
COMMENT ON COLUMN documents.source_url IS 'Source URL 来源网址';
COMMENT ON COLUMN documents.issuer IS 'Issuing body 发布机关';
COMMENT ON COLUMN documents.char_count IS 'Characters in the cleaned text 字数';
COMMENT ON COLUMN documents.cjk_ratio IS 'Share of CJK ideographs among non-space characters 汉字比例';
COMMENT ON COLUMN documents.figure_count IS 'Figures extracted (loaded and quarantined) 提取数字数';
COMMENT ON COLUMN documents.extractor_version IS 'Fingerprint of the extraction rules used 提取器版本';
COMMENT ON COLUMN documents.text IS 'Cleaned text 清洗后正文';
COMMENT ON COLUMN documents.raw_text IS 'Decoded text before cleaning, kept for re-extraction 原始正文';
COMMENT ON COLUMN documents.raw_meta IS 'Metadata read with the file (front matter, bundle columns) as JSON 原始元数据';
COMMENT ON COLUMN documents.run_id IS 'Run that loaded this version 运行编号';
COMMENT ON COLUMN documents.loaded_at IS 'Load time (UTC) 入库时间';

CREATE TABLE figure_rows (
    figure_id VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    region_code VARCHAR,
    region_name VARCHAR,
    report_year INTEGER,
    kind VARCHAR NOT NULL CHECK (kind IN ('target', 'actual')),
    metric_code VARCHAR,
    metric_name VARCHAR,
    value_low DOUBLE,
    value_high DOUBLE,
    unit VARCHAR,
    value_base_low DOUBLE,
    value_base_high DOUBLE,
    base_unit VARCHAR,
    comparator VARCHAR CHECK (comparator IN ('point', 'approx', 'at_least', 'at_most', 'range')),
    period_year INTEGER,
    sentence VARCHAR,
    value_text VARCHAR,
    start_offset INTEGER,
    end_offset INTEGER,
    sentence_offset INTEGER,
    mention_count INTEGER,
    plausible_base_min DOUBLE,
    plausible_base_max DOUBLE,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    released BOOLEAN NOT NULL DEFAULT false,
    warnings VARCHAR[] DEFAULT [],
    PRIMARY KEY (document_id, figure_id)
);
COMMENT ON TABLE figure_rows IS 'Loaded figures (targets and actuals); query the figures view instead 数字明细';
COMMENT ON COLUMN figure_rows.figure_id IS 'Figure id: hash of document content and position (same text, same id) 数字编号';
COMMENT ON COLUMN figure_rows.document_id IS 'Document it was found in 文档编号';
COMMENT ON COLUMN figure_rows.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN figure_rows.region_code IS 'GB/T 2260 code of the reporting region 行政区划代码';
COMMENT ON COLUMN figure_rows.region_name IS 'Reporting region 地区名称';
COMMENT ON COLUMN figure_rows.report_year IS 'Report year 报告年份';
COMMENT ON COLUMN figure_rows.kind IS 'target (goal) | actual (achieved figure) 类型（目标/实绩）';
COMMENT ON COLUMN figure_rows.metric_code IS 'Catalog metric code, NULL if not a headline metric 指标代码';
COMMENT ON COLUMN figure_rows.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN figure_rows.value_low IS 'Value (low end of a range) as written; negative for a stated decrease 数值下限';
COMMENT ON COLUMN figure_rows.value_high IS 'High end of a range, else equal to value_low 数值上限';
COMMENT ON COLUMN figure_rows.unit IS 'Unit as written 单位';
COMMENT ON COLUMN figure_rows.value_base_low IS 'value_low converted to the base unit 基本单位数值下限';
COMMENT ON COLUMN figure_rows.value_base_high IS 'value_high converted to the base unit 基本单位数值上限';
COMMENT ON COLUMN figure_rows.base_unit IS 'Base unit 基本单位';
COMMENT ON COLUMN figure_rows.comparator IS 'point | approx (左右) | at_least (以上) | at_most (以内) | range 比较方式';
COMMENT ON COLUMN figure_rows.period_year IS 'Year the figure refers to 所属年份';
COMMENT ON COLUMN figure_rows.sentence IS 'Sentence it was found in 原句';
COMMENT ON COLUMN figure_rows.value_text IS 'The matched text 原文数值';
COMMENT ON COLUMN figure_rows.start_offset IS 'Start offset in the cleaned text 起始位置';
COMMENT ON COLUMN figure_rows.end_offset IS 'End offset in the cleaned text 结束位置';
COMMENT ON COLUMN figure_rows.sentence_offset IS 'Offset of the sentence in the cleaned text 句子位置';
COMMENT ON COLUMN figure_rows.mention_count IS 'Times the same statement occurs in the document 出现次数';
COMMENT ON COLUMN figure_rows.plausible_base_min IS 'Metric''s plausible minimum in the base unit 合理下限';
COMMENT ON COLUMN figure_rows.plausible_base_max IS 'Metric''s plausible maximum in the base unit 合理上限';
COMMENT ON COLUMN figure_rows.run_id IS 'Run that loaded it 运行编号';
COMMENT ON COLUMN figure_rows.loaded_at IS 'Load time (UTC) 入库时间';
COMMENT ON COLUMN figure_rows.released IS 'Loaded by a reviewer''s accept despite a critical failure 人工放行';
COMMENT ON COLUMN figure_rows.warnings IS 'Warning checks it failed 警告检查';

CREATE TABLE qualitative_targets (
    qualitative_id VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    kind VARCHAR CHECK (kind IN ('target', 'actual')),
    subject VARCHAR,
    period_year INTEGER,
    sentence VARCHAR,
    start_offset INTEGER,
    end_offset INTEGER,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (document_id, qualitative_id)
);
COMMENT ON TABLE qualitative_targets IS 'Goals stated without a number 定性目标';
COMMENT ON COLUMN qualitative_targets.qualitative_id IS 'Id: hash of document content and position 定性目标编号';
COMMENT ON COLUMN qualitative_targets.document_id IS 'Document it was found in 文档编号';
COMMENT ON COLUMN qualitative_targets.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN qualitative_targets.kind IS 'target | actual 类型（目标/实绩）';
COMMENT ON COLUMN qualitative_targets.subject IS 'What the goal is about 目标主题';
COMMENT ON COLUMN qualitative_targets.period_year IS 'Year it refers to 所属年份';
COMMENT ON COLUMN qualitative_targets.sentence IS 'Sentence it was found in 原句';
COMMENT ON COLUMN qualitative_targets.start_offset IS 'Start offset in the cleaned text 起始位置';
COMMENT ON COLUMN qualitative_targets.end_offset IS 'End offset in the cleaned text 结束位置';
COMMENT ON COLUMN qualitative_targets.run_id IS 'Run that loaded it 运行编号';
COMMENT ON COLUMN qualitative_targets.loaded_at IS 'Load time (UTC) 入库时间';

CREATE TABLE document_findings (
    document_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    check_name VARCHAR NOT NULL,
    severity VARCHAR CHECK (severity IN ('critical', 'warning', 'info')),
    message VARCHAR,
    detail VARCHAR,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE document_findings IS 'Document-level data-quality observations from cleaning and metadata 文档质量发现';
COMMENT ON COLUMN document_findings.document_id IS 'Document 文档编号';
COMMENT ON COLUMN document_findings.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN document_findings.check_name IS 'Check that produced it 检查名称';
COMMENT ON COLUMN document_findings.severity IS 'critical | warning | info 严重程度';
COMMENT ON COLUMN document_findings.message IS 'One-line message 说明';
COMMENT ON COLUMN document_findings.detail IS 'Detail (e.g. removed text) 详情';
COMMENT ON COLUMN document_findings.run_id IS 'Run that loaded it 运行编号';
COMMENT ON COLUMN document_findings.loaded_at IS 'Load time (UTC) 入库时间';

-- Data quality and review ---------------------------------------------------------------------------

CREATE TABLE dq_results (
    run_id VARCHAR NOT NULL,
    suite VARCHAR NOT NULL,
    table_name VARCHAR,
    severity VARCHAR,
    expectation_type VARCHAR NOT NULL,
    kwargs JSON,
    success BOOLEAN,
    element_count BIGINT,
    unexpected_count BIGINT,
    unexpected_ids JSON
);
COMMENT ON TABLE dq_results IS 'Great Expectations results: one row per run, suite and expectation 数据质量检查结果';
COMMENT ON COLUMN dq_results.run_id IS 'Run id 运行编号';
COMMENT ON COLUMN dq_results.suite IS 'Expectation suite 检查套件';
COMMENT ON COLUMN dq_results.table_name IS 'Frame or table validated 被检查的表';
COMMENT ON COLUMN dq_results.severity IS 'critical (quarantines) | warning | info 严重程度';
COMMENT ON COLUMN dq_results.expectation_type IS 'Expectation type 检查类型';
COMMENT ON COLUMN dq_results.kwargs IS 'Expectation parameters as JSON 检查参数';
COMMENT ON COLUMN dq_results.success IS 'Whether it passed 是否通过';
COMMENT ON COLUMN dq_results.element_count IS 'Rows checked 检查行数';
COMMENT ON COLUMN dq_results.unexpected_count IS 'Rows that failed 不符合行数';
COMMENT ON COLUMN dq_results.unexpected_ids IS 'Sample of failing row ids as JSON 不符合样例';

CREATE TABLE quarantine (
    quarantine_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('file', 'document', 'figure')),
    source_file VARCHAR NOT NULL,
    document_id VARCHAR,
    figure_id VARCHAR,
    reason VARCHAR NOT NULL,
    failed_check VARCHAR,
    check_params JSON,
    sentence VARCHAR,
    kind VARCHAR,
    metric_name VARCHAR,
    metric_code VARCHAR,
    value_low DOUBLE,
    value_high DOUBLE,
    unit VARCHAR,
    comparator VARCHAR,
    period_year INTEGER,
    region_code VARCHAR,
    region_name VARCHAR,
    report_year INTEGER,
    value_base_low DOUBLE,
    value_base_high DOUBLE,
    base_unit VARCHAR,
    value_text VARCHAR,
    start_offset INTEGER,
    end_offset INTEGER,
    sentence_offset INTEGER,
    mention_count INTEGER,
    plausible_base_min DOUBLE,
    plausible_base_max DOUBLE,
    warnings VARCHAR[],
    quarantined_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    CHECK (level = 'file' OR document_id IS NOT NULL),
    CHECK (level <> 'figure' OR figure_id IS NOT NULL)
);
COMMENT ON TABLE quarantine IS 'Files, documents and figures held back by a critical failure, awaiting review 隔离区';
COMMENT ON COLUMN quarantine.quarantine_id IS 'Id: hash of run, level, file, document, figure and check 隔离编号';
COMMENT ON COLUMN quarantine.run_id IS 'Run that quarantined it 运行编号';
COMMENT ON COLUMN quarantine.level IS 'file | document | figure 隔离级别';
COMMENT ON COLUMN quarantine.source_file IS 'File name relative to the inbox 源文件';
COMMENT ON COLUMN quarantine.document_id IS 'Document (document and figure level) 文档编号';
COMMENT ON COLUMN quarantine.figure_id IS 'Figure (figure level) 数字编号';
COMMENT ON COLUMN quarantine.reason IS 'One-line reason 隔离原因';
COMMENT ON COLUMN quarantine.failed_check IS 'Check that failed 未通过的检查';
COMMENT ON COLUMN quarantine.check_params IS 'Parameters of that check as JSON 检查参数';
COMMENT ON COLUMN quarantine.sentence IS 'Sentence the figure was found in 原句';
COMMENT ON COLUMN quarantine.kind IS 'target | actual 类型（目标/实绩）';
COMMENT ON COLUMN quarantine.metric_name IS 'Subject as written 指标名称';
COMMENT ON COLUMN quarantine.metric_code IS 'Catalog metric code 指标代码';
COMMENT ON COLUMN quarantine.value_low IS 'Value (low end) as written 数值下限';
COMMENT ON COLUMN quarantine.value_high IS 'High end of a range 数值上限';
COMMENT ON COLUMN quarantine.unit IS 'Unit as written 单位';
COMMENT ON COLUMN quarantine.comparator IS 'point | approx | at_least | at_most | range 比较方式';
COMMENT ON COLUMN quarantine.period_year IS 'Year the figure refers to 所属年份';
COMMENT ON COLUMN quarantine.region_code IS 'GB/T 2260 code of the reporting region 行政区划代码';
COMMENT ON COLUMN quarantine.region_name IS 'Reporting region 地区名称';
COMMENT ON COLUMN quarantine.report_year IS 'Report year 报告年份';
COMMENT ON COLUMN quarantine.value_base_low IS 'value_low in the base unit 基本单位数值下限';
COMMENT ON COLUMN quarantine.value_base_high IS 'value_high in the base unit 基本单位数值上限';
COMMENT ON COLUMN quarantine.base_unit IS 'Base unit 基本单位';
COMMENT ON COLUMN quarantine.value_text IS 'The matched text 原文数值';
COMMENT ON COLUMN quarantine.start_offset IS 'Start offset in the cleaned text 起始位置';
COMMENT ON COLUMN quarantine.end_offset IS 'End offset in the cleaned text 结束位置';
COMMENT ON COLUMN quarantine.sentence_offset IS 'Offset of the sentence in the cleaned text 句子位置';
COMMENT ON COLUMN quarantine.mention_count IS 'Times the statement occurs in the document 出现次数';
COMMENT ON COLUMN quarantine.plausible_base_min IS 'Metric''s plausible minimum in the base unit 合理下限';
COMMENT ON COLUMN quarantine.plausible_base_max IS 'Metric''s plausible maximum in the base unit 合理上限';
COMMENT ON COLUMN quarantine.warnings IS 'Warning checks it also failed 警告检查';
COMMENT ON COLUMN quarantine.quarantined_at IS 'When it was quarantined (UTC) 隔离时间';
COMMENT ON COLUMN quarantine.status IS 'open | accepted | rejected (the review decision) 审核状态';

CREATE TABLE review_decisions (
    figure_id VARCHAR PRIMARY KEY,
    decision VARCHAR NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    note VARCHAR,
    decided_by VARCHAR,
    decided_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE review_decisions IS 'Reviewer decisions on quarantined figures; kept across re-runs and full refreshes 审核决定';
COMMENT ON COLUMN review_decisions.figure_id IS 'Figure id 数字编号';
COMMENT ON COLUMN review_decisions.decision IS 'accepted (released into figures) | rejected (stays out) 审核结论';
COMMENT ON COLUMN review_decisions.note IS 'Reviewer''s note 审核备注';
COMMENT ON COLUMN review_decisions.decided_by IS 'Reviewer 审核人';
COMMENT ON COLUMN review_decisions.decided_at IS 'When it was decided (UTC) 审核时间';
