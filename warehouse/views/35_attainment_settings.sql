-- The settings of the attainment rule (target_attainment), in one place. Change a value here: every check, the
-- `mubiao attainment` command and the run report read it through the views. lower_is_better applies to a metric
-- and to every finer code whose headline_code it is (城镇调查失业率 → urban_unemployment_rate).
CREATE VIEW attainment_settings AS
SELECT * FROM (VALUES
    ('approx_tolerance', NULL, CAST(0.05 AS DOUBLE),
     'A 左右/约 (approx) target is met within this share of its value: 8%左右 from 7.6%, a 3%左右 ceiling up to 3.15%'),
    ('lower_is_better', 'cpi_growth', NULL, 'A point or approx target is a ceiling: 居民消费价格涨幅(控制在)3%左右'),
    ('lower_is_better', 'urban_unemployment_rate', NULL, 'A point or approx target is a ceiling: 失业率(控制在)5.5%左右'),
    ('lower_is_better', 'pm25', NULL, 'A point or approx target is a ceiling: PM2.5浓度30微克/立方米'),
    ('lower_is_better', 'energy_intensity_change', NULL, 'A change stated as a fall: 能耗下降3% (-3) is met at -3.5'),
    ('lower_is_better', 'rpi_growth', NULL, 'A point or approx target is a ceiling: 商品零售价格涨幅3%左右'),
    ('lower_is_better', 'co2_intensity_change', NULL, 'A change stated as a fall: 单位GDP二氧化碳排放降低3.9%'),
    ('lower_is_better', 'so2_emissions_change', NULL, 'A change stated as a fall: 二氧化硫排放量下降2%'),
    ('lower_is_better', 'cod_emissions_change', NULL, 'A change stated as a fall: 化学需氧量排放量下降2%'),
    ('lower_is_better', 'major_pollutants_change', NULL, 'A change stated as a fall: 主要污染物排放总量下降2%'),
    ('lower_is_better', 'rural_poor_population', NULL, 'A point or approx target is a ceiling: 农村贫困人口1000万人以内'),
    ('lower_is_better', 'deficit_ratio', NULL, 'A point or approx target is a ceiling: 赤字率3%左右'),
    ('lower_is_better', 'deficit_amount', NULL, 'A planned deficit is a ceiling: 赤字规模2.67万亿元'),
    ('lower_is_better', 'central_deficit_amount', NULL, 'A planned deficit is a ceiling: 中央财政赤字1.86万亿元'),
    ('lower_is_better', 'government_debt_ratio', NULL, 'A point or approx target is a ceiling: 政府负债率60%以内')
) AS s(setting, metric_code, value, description);
COMMENT ON VIEW attainment_settings IS 'Settings of the attainment rule: the approx (左右) tolerance and the metrics whose targets are ceilings 目标完成判定参数';
COMMENT ON COLUMN attainment_settings.setting IS 'approx_tolerance (share of the target value) | lower_is_better (one row per metric) 参数名';
COMMENT ON COLUMN attainment_settings.metric_code IS 'Metric the row applies to (lower_is_better) 指标代码';
COMMENT ON COLUMN attainment_settings.value IS 'Numeric value of the setting 参数值';
COMMENT ON COLUMN attainment_settings.description IS 'What it means, with an example 说明';
