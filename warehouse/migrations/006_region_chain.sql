-- Every report knows where it is from, at its own level: the region's parent chain on documents, and the
-- gazetteer's type, years of validity and successor on regions (seeds/reference/regions.csv).
ALTER TABLE documents ADD COLUMN province_code VARCHAR;
ALTER TABLE documents ADD COLUMN province_name VARCHAR;
ALTER TABLE documents ADD COLUMN prefecture_code VARCHAR;
ALTER TABLE documents ADD COLUMN prefecture_name VARCHAR;
COMMENT ON COLUMN documents.region_level IS 'Administrative level: national | province | city (prefecture-level) | district (市辖区) | county (县, 县级市, 旗 …) | street 行政级别';
COMMENT ON COLUMN documents.province_code IS 'GB/T 2260 code of the province-level unit the region lies in (itself for a province; NULL for 全国) 所属省级区划代码';
COMMENT ON COLUMN documents.province_name IS 'Province-level unit the region lies in 所属省级区划';
COMMENT ON COLUMN documents.prefecture_code IS 'GB/T 2260 code of the prefecture-level unit the region lies in (itself for a prefecture; NULL above it or for province-direct counties) 所属地级区划代码';
COMMENT ON COLUMN documents.prefecture_name IS 'Prefecture-level unit the region lies in 所属地级区划';

ALTER TABLE regions ADD COLUMN kind VARCHAR;
ALTER TABLE regions ADD COLUMN valid_from INTEGER;
ALTER TABLE regions ADD COLUMN valid_to INTEGER;
ALTER TABLE regions ADD COLUMN successor_code VARCHAR;
ALTER TABLE regions ADD COLUMN code_source VARCHAR;
COMMENT ON TABLE regions IS 'Region gazetteer 行政区划: national, every province-, prefecture- and county-level unit, and units abolished since 2000 (from seeds/reference/regions.csv)';
COMMENT ON COLUMN regions.level IS 'Administrative level: national | province | city (prefecture-level) | district (市辖区) | county (县, 县级市, 旗 …) | street 行政级别';
COMMENT ON COLUMN regions.kind IS 'Official type (省, 自治区, 地级市, 自治州, 盟, 市辖区, 县级市, 自治旗 …) 区划类型';
COMMENT ON COLUMN regions.valid_from IS 'First year the unit existed; NULL if before 2000 设立年份';
COMMENT ON COLUMN regions.valid_to IS 'Year the unit was abolished or renamed; NULL if current 撤销年份';
COMMENT ON COLUMN regions.successor_code IS 'Code of the unit that took its place (崇文区 → 东城区) 承继区划代码';
COMMENT ON COLUMN regions.code_source IS 'gbt2260 (GB/T 2260) | stats (统计用区划代码) | derived 代码来源';
