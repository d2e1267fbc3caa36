"""Document metadata: region (with its parent chain), report year, title, type, dates, issuer; unknowns warned."""
from __future__ import annotations

from pathlib import Path

import pytest

from transforms.clean import clean_document
from transforms.gazetteer import gazetteer_for
from transforms.metadata import infer_metadata, parse_date
from transforms.models import RawDocument
from transforms.read import read_document
from transforms.reference import default_reference

REPORTS = Path(__file__).resolve().parent.parent / "seeds" / "reports"


def _meta(raw: RawDocument):
    return infer_metadata(raw, clean_document(raw), default_reference())


def _sample(prefix: str):
    path = next(REPORTS.glob(f"{prefix}_*.txt"))
    return _meta(read_document(path.name, path.read_bytes())[0])


@pytest.mark.parametrize("prefix, code, name, level, year", [
    ("000", "440605011", "桂城街道", "street", 2022),
    ("001", "440605011", "桂城街道", "street", 2022),
    ("002", "440103", "荔湾区", "district", 2022),
    ("003", "440105", "海珠区", "district", 2023),
    ("004", "440105", "海珠区", "district", None),
])
def test_sample_region_and_report_year(prefix, code, name, level, year):
    meta = _sample(prefix)
    assert (meta.region_code, meta.region_name, meta.region_level, meta.report_year) == (code, name, level, year)


def test_region_parent_chain_is_in_the_gazetteer():
    gaz = gazetteer_for(default_reference())
    assert [r.name for r in gaz.path("440605011")] == ["桂城街道", "南海区", "佛山市", "广东省"]
    assert [r.name for r in gaz.path("440105")] == ["海珠区", "广州市", "广东省"]


def test_gazetteer_covers_required_regions():
    regions = default_reference().regions
    assert sum(r.level == "province" for r in regions) == 34
    assert {r.name for r in regions if r.parent_code == "440100" and r.current} == {
        "荔湾区", "越秀区", "海珠区", "天河区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "从化区", "增城区"}
    assert {r.name for r in regions if r.parent_code == "440600" and r.current} == {"禅城区", "南海区", "顺德区", "三水区", "高明区"}
    codes = [r.code for r in regions]
    assert len(codes) == len(set(codes))
    assert all(r.parent_code in set(codes) for r in regions if r.parent_code)


def test_gazetteer_resolves_names_chains_and_codes():
    gaz = gazetteer_for(default_reference())
    assert gaz.resolve("广州市海珠区").code == "440105"
    assert gaz.resolve("桂城").code == "440605011"
    assert gaz.resolve("440600").name == "佛山市"
    assert gaz.resolve("海珠区 荔湾区") is None
    assert gaz.resolve("火星") is None
    assert gaz.mentions("就读中山大学,登上广州塔,走过中山路") == {}


def test_003_government_work_report_metadata():
    meta = _sample("003")
    assert meta.title == "海珠区2023年政府工作报告"
    assert meta.doc_type == "government_work_report"
    assert meta.publish_date == "2023-03-08"
    assert meta.issuer == "海珠区人民政府（区长 毛松柏）"


def test_news_samples_metadata():
    m000, m001, m002 = _sample("000"), _sample("001"), _sample("002")
    assert m000.title == "致力打造成为产业发展湾区极核 2022年桂城要这样干"
    assert (m000.doc_type, m001.doc_type, m002.doc_type) == ("news", "news", "news")
    assert m000.publish_date == "2022-01-28" and m002.publish_date == "2022-01-21"
    assert m000.source_url.startswith("http://finews.zning.xyz/")
    assert (m000.issuer, m001.issuer, m002.issuer) == ("南方Plus", "珠江时报", "南方都市报")
    assert any(f.check == "metadata_inferred" and "report_year 2022" in f.message for f in m001.findings)


def test_unknown_fields_are_none_with_warnings():
    meta = _sample("004")
    assert (meta.title, meta.report_year, meta.publish_date, meta.issuer) == (None, None, None, None)
    messages = {f.message.split(" (")[0] for f in meta.findings
                if f.check == "metadata_unknown" and f.severity == "warning"}
    assert {"report_year unknown", "title unknown", "publish_date unknown", "issuer unknown"} <= messages
    assert any(f.check == "metadata_inferred" and "海珠区" in f.message for f in meta.findings)


def test_no_region_named_gives_none_and_warning():
    meta = _meta(RawDocument("r.txt", "今年工作安排\n城镇新增就业1.8万人,地区生产总值增长5%左右。", "txt"))
    assert meta.region_code is None
    assert any(f.message.startswith("region unknown") for f in meta.findings)


def test_bundle_columns_win_over_text_cues():
    raw = RawDocument("b.csv", "海珠区2023年政府工作报告\n各位代表:我代表海珠区人民政府向大会报告工作。", "csv", part="1",
                      meta={"region": "荔湾区", "year": "2021", "title": "荔湾报告", "publish_date": "2021/1/5",
                            "source_url": "https://x.org/1"})
    meta = _meta(raw)
    assert (meta.region_name, meta.report_year, meta.title, meta.publish_date, meta.source_url) == (
        "荔湾区", 2021, "荔湾报告", "2021-01-05", "https://x.org/1")


def test_unknown_stated_region_is_warned_not_guessed_silently():
    meta = _meta(RawDocument("b.csv", "今年城镇新增就业1万人。", "csv", meta={"region": "某某县"}))
    assert meta.region_code is None
    assert any("某某县" in f.message for f in meta.findings)


def test_city_report_is_not_pinned_to_one_district():
    text = ("广州市2023年政府工作报告\n" + "广州坚持高质量发展,全市经济稳步增长。" * 10
            + "海珠区、天河区、南沙区、黄埔区各有亮点,南沙开发开放提速。")
    meta = _meta(RawDocument("r.txt", text, "txt"))
    assert (meta.region_name, meta.region_level, meta.report_year) == ("广州市", "city", 2023)


def test_delivery_line_gives_year_and_region():
    text = "政府工作报告\n——2024年1月10日在佛山市南海区第十八届人民代表大会第四次会议上\n各位代表:"
    meta = _meta(RawDocument("r.txt", text, "txt"))
    assert (meta.region_name, meta.report_year, meta.doc_type) == ("南海区", 2024, "government_work_report")


@pytest.mark.parametrize("value, expected", [
    ("2022-01-28 16:07:06 +0800", "2022-01-28"), ("2023年3月8日", "2023-03-08"), ("2021/1/5", "2021-01-05"),
    ("2023-13-01", None), ("没有日期", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_a_horizon_year_in_a_news_title_does_not_become_the_report_year() -> None:
    from transforms.clean import clean_document
    from transforms.metadata import infer_metadata
    from transforms.models import RawDocument
    from transforms.reference import default_reference

    raw = RawDocument("n.txt", "锚定2030年目标 某市奋力前行\n来源：某日报　发布时间：2025-12-18 09:30\n全会提出，到2030年，全市地区生产总值突破8000亿元。\n", "txt")
    meta = infer_metadata(raw, clean_document(raw), default_reference())
    assert meta.report_year == 2025
