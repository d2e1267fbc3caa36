-- The metric catalog grouped by domain, each finer code naming the headline code it rolls up to.
ALTER TABLE metrics ADD COLUMN domain VARCHAR;
ALTER TABLE metrics ADD COLUMN headline_code VARCHAR;
COMMENT ON COLUMN metrics.domain IS 'Domain (economy, fiscal and debt, prices, income, ...) 指标领域';
COMMENT ON COLUMN metrics.headline_code IS 'Headline code it rolls up to: its own code for a headline metric, the parent''s for a finer one (城镇居民人均可支配收入增长 -> resident_income_growth), NULL if none 对应核心指标代码';
COMMENT ON COLUMN metrics.measure IS 'level (amount) | growth (% change) | share (part of a whole: 比重/占比/强度) | rate (失业率, 城镇化率) | change (个百分点, 比上年减少N) 计量类型';
COMMENT ON COLUMN metrics.unit IS 'Canonical unit; plausible_min/max are in it 标准单位';
