"""Nationwide gazetteer: prefectures and municipality districts, region inference and ambiguous names."""
from __future__ import annotations

from collections import Counter

import pytest

from transforms.clean import clean_document
from transforms.gazetteer import gazetteer_for
from transforms.metadata import infer_metadata
from transforms.models import RawDocument
from transforms.reference import default_reference

BODY = "各位代表：\n现在，我代表{gov}人民政府，向大会报告工作，请予审议。\n全年地区生产总值增长5%左右，城镇新增就业1.8万人。\n"


def _meta(text: str, **meta: str):
    raw = RawDocument("r.txt", text, "txt", meta=meta)
    return infer_metadata(raw, clean_document(raw), default_reference())


def _report(title: str, congress: str, gov: str, extra: str = "") -> str:
    return f"{title}\n——2024年1月23日在{congress}第十四届人民代表大会第二次会议上\n" + BODY.format(gov=gov) + extra


def _warnings(meta) -> str:
    return " | ".join(f.message for f in meta.findings if f.severity == "warning")


def test_gazetteer_has_every_current_unit_from_national_to_county():
    current = [r for r in default_reference().regions if r.current]
    levels = Counter(r.level for r in current)
    assert (levels["national"], levels["province"], levels["city"]) == (1, 34, 333)
    assert levels["district"] + levels["county"] >= 2800
    children = Counter(r.parent_code for r in current)
    assert [children[m] for m in ("110000", "120000", "310000")] == [16, 16, 16]
    kinds = {r.name[-1] for r in current if r.level == "city"}
    assert kinds == {"市", "州", "区", "盟"}  # 地级市, 自治州, 地区, 盟
    assert {r.kind for r in current if r.level == "county"} >= {"县", "自治县", "县级市", "旗", "自治旗", "林区", "特区"}


def test_gazetteer_codes_nest_in_their_parents():
    by_code = {r.code: r for r in default_reference().regions}
    for r in by_code.values():
        if r.level in ("city", "district", "county"):
            parent = by_code[r.parent_code]
            shared = 2 if parent.level == "province" else 4
            assert len(r.code) == 6 and r.code[:shared] == parent.code[:shared], r


@pytest.mark.parametrize("title, congress, gov, code, name, level, parent", [
    ("2024年浙江省政府工作报告", "浙江省", "浙江省", "330000", "浙江省", "province", None),
    ("成都市2024年政府工作报告", "成都市", "成都市", "510100", "成都市", "city", "四川省"),
    ("2024年苏州市政府工作报告", "苏州市", "苏州市", "320500", "苏州市", "city", "江苏省"),
    ("延边州2024年政府工作报告", "延边朝鲜族自治州", "延边朝鲜族自治州", "222400", "延边朝鲜族自治州", "city", "吉林省"),
    ("阿拉善盟政府工作报告", "阿拉善盟", "阿拉善盟", "152900", "阿拉善盟", "city", "内蒙古自治区"),
    ("吉林市2024年政府工作报告", "吉林市", "吉林市", "220200", "吉林市", "city", "吉林省"),
    ("2024年吉林省政府工作报告", "吉林省", "吉林省", "220000", "吉林省", "province", None),
    ("北京市朝阳区政府工作报告", "北京市朝阳区", "北京市朝阳区", "110105", "朝阳区", "district", "北京市"),
    ("朝阳市政府工作报告", "朝阳市", "朝阳市", "211300", "朝阳市", "city", "辽宁省"),
    ("渝中区政府工作报告", "重庆市渝中区", "重庆市渝中区", "500103", "渝中区", "district", "重庆市"),
])
def test_report_region_and_level(title, congress, gov, code, name, level, parent):
    meta = _meta(_report(title, congress, gov))
    assert (meta.region_code, meta.region_name, meta.region_level, meta.report_year) == (code, name, level, 2024)
    path = gazetteer_for(default_reference()).path(code)
    assert (path[1].name if len(path) > 1 else None) == parent


def test_provincial_report_naming_many_cities_stays_provincial():
    cities = "杭州、宁波、温州、嘉兴、湖州、绍兴、金华、衢州、舟山、台州、丽水各地协同发展，杭州亚运会成功举办，杭州城市大脑升级。\n"
    meta = _meta(_report("2024年浙江省政府工作报告", "浙江省", "浙江省", cities * 3))
    assert (meta.region_name, meta.region_level) == ("浙江省", "province")


def test_homonymous_district_is_resolved_by_its_parent_chain():
    gaz = gazetteer_for(default_reference())
    assert gaz.resolve("宁波市江北区").code == "330205"
    assert gaz.resolve("重庆江北区").code == "500105"
    assert gaz.resolve("辽宁朝阳").code == "211300"
    assert gaz.resolve("长春市朝阳区").code == "220104"
    for shared in ("江北区", "朝阳", "朝阳区", "吉林", "普陀区"):
        assert gaz.resolve(shared) is None, shared


def test_short_name_shared_by_a_province_and_its_city_counts_for_the_province_only():
    gaz = gazetteer_for(default_reference())
    assert gaz.mentions("吉林") == {"220000": 1}
    assert gaz.mentions("吉林市经济向好，吉林发展加快") == {"220200": 2}


def test_ambiguous_name_alone_gives_none_and_a_warning_naming_the_candidates():
    text = "朝阳2024年政府工作报告\n" + "朝阳经济稳中向好，全年城镇新增就业1.8万人。\n" * 3
    meta = _meta(text)
    assert meta.region_code is None
    assert "朝阳市 (辽宁省)" in _warnings(meta) and "朝阳区 (北京市)" in _warnings(meta)


def test_ambiguous_name_with_its_province_named_elsewhere_resolves():
    text = "朝阳2024年政府工作报告\n" + "朝阳经济稳中向好，全年城镇新增就业1.8万人。\n" * 3 + "辽宁全面振兴取得新突破。\n"
    meta = _meta(text)
    assert (meta.region_code, meta.region_level) == ("211300", "city")


def test_stated_shared_region_is_taken_from_the_text_or_left_unknown():
    city = _meta(_report("吉林市2024年政府工作报告", "吉林市", "吉林市"), region="吉林")
    assert city.region_code == "220200"
    assert any(f.check == "metadata_inferred" and "吉林市" in f.message for f in city.findings)
    unknown = _meta("今年工作安排\n全年城镇新增就业1.8万人。", region="朝阳")
    assert unknown.region_code is None
    assert "region '朝阳' is ambiguous" in _warnings(unknown)


def test_common_words_are_not_taken_for_regions():
    gaz = gazetteer_for(default_reference())
    text = "坚持绿水青山就是金山银山，确保社会长治久安，热烈欢迎各位来宾，大兴调查研究之风。"
    assert gaz.mentions(text) == {}
