"""Cleaning drops page furniture and injected spam, and keeps every line of report prose."""
from __future__ import annotations

from pathlib import Path

from transforms.clean import clean_document
from transforms.models import RawDocument
from transforms.read import read_document

REPORTS = Path(__file__).resolve().parent.parent / "seeds" / "reports"


def _clean(text: str):
    return clean_document(RawDocument(source_file="t.txt", text=text, fmt="txt"))


def _sample(prefix: str):
    path = next(REPORTS.glob(f"{prefix}_*.txt"))
    return clean_document(read_document(path.name, path.read_bytes())[0])


def test_furniture_lines_are_dropped_and_prose_kept():
    prose = ["海珠区2023年政府工作报告", "地区生产总值增长5%左右。", "（一）扛起海珠担当", "区长 毛松柏"]
    furniture = [
        "您当前所在的位置:\u00a0首页\u00a0>\u00a0政务公开\u00a0>\u00a0政府工作报告", "首页 > 新闻中心",
        "发布日期:2023-03-08 12:33:02 来源:海珠区人民政府", "分享到:", "浏览量:-", "访问总数:-人次",
        "【字号：大 中 小】 【打印】 【关闭】", "下载 打印 全屏 收藏", "留言与评论(共有 条评论) |",
        "联系我们 | 友情链接 | 站点地图", "返回南方Plus新闻｜返回首页", "版权所有 © 广州市海珠区人民政府",
        "粤ICP备05083207号-1网站标识码:4401050003", "主办:广州市海珠区人民政府办公室", "（文章来源：南方Plus）",
        "原创2022-01-21 22:38", "采写:南都记者 代国辉", "编辑:代国辉", "南都新闻,未经授权不得转载。授权联系方式",
        "banquan@nandu.cc. 020-87006626", "http://example.org/a.html", "— 3 —", "第 2 页 共 10 页",
    ]
    text = "\n".join(prose[:2] + furniture[:12] + prose[2:] + furniture[12:])
    assert _clean(text).text == "\n".join(prose)


def test_long_prose_mentioning_furniture_words_is_kept():
    line = "加强版权保护，打印、下载、分享等数字服务全面上线，发布日期提前，" * 3 + "完成目标。"
    assert _clean(line).text == line


def test_whitespace_is_normalised_and_blank_lines_dropped():
    assert _clean("  第一段\u3000\u3000内容 \n\n\n\t第二段\u200b内容\r\n").text == "第一段 内容\n第二段内容"


def test_sample_furniture_is_gone():
    text = _sample("003").text
    assert text.startswith("海珠区2023年政府工作报告\n")
    for junk in ("您当前所在的位置", "分享到", "浏览量", "粤ICP备", "友情链接", "发布日期"):
        assert junk not in text
    assert "返回首页" not in _sample("000").text
    assert "未经授权不得转载" not in _sample("002").text


def test_injected_spam_is_removed_with_a_warning():
    clean = _sample("004")
    assert "凯发" not in clean.text and "k8" not in clean.text
    assert "优化版权政策服务,加强版权执法协作,争创国家版权创新发展基地" in clean.text
    assert "核心版权产业营收达千亿级" in clean.text
    [finding] = [f for f in clean.findings if f.check == "injected_text_removed"]
    assert finding.severity == "warning"
    assert "凯发k8国际的" in finding.message and "x4" in finding.message and "line 13" in finding.message


def test_spam_brand_injected_elsewhere_is_found_generally():
    text = ("推进尊龙d88娱乐城市更新,完善尊龙d88娱乐城市功能。\n"
            "提升尊龙d88娱乐城市品质,城镇新增就业1.8万人。")
    clean = _clean(text)
    assert clean.text == "推进城市更新,完善城市功能。\n提升城市品质,城镇新增就业1.8万人。"
    assert [f.detail for f in clean.findings] == ["尊龙d88娱乐"]


def test_normal_repeated_phrases_and_codes_are_kept():
    text = "\n".join([
        "加快5G基站建设,新建5G基站1000座,推动5G基站共建共享。",
        "推进“粤省事”app升级,用好“粤省事”app办事。",
        "实施“1+1+9”工作部署,深化“1+1+9”工作部署。",
        "PM2.5年均浓度下降,PM2.5浓度控制在22微克/立方米。",
        "全长10km的绿道,再建10km绿道。",
        "坚持以人民为中心的发展思想,坚持以人民为中心的发展思想。",
    ])
    clean = _clean(text)
    assert clean.text == text
    assert clean.findings == []


def test_advert_lines_and_links_are_removed():
    text = "\n".join([
        "城镇新增就业1.8万人,详见http://www.example.org/a.html?id=1。",
        "加微信abc123领取内部资料,日赚500元",
        "地区生产总值增长5%左右。",
        "百家乐真人视讯官方推荐",
    ])
    clean = _clean(text)
    assert clean.text == "城镇新增就业1.8万人,详见。\n地区生产总值增长5%左右。"
    [finding] = clean.findings
    assert (finding.check, finding.severity) == ("injected_text_removed", "warning")
    assert "2 advert line(s)" in finding.message


def test_escaped_characters_from_a_scrape_are_read_back() -> None:
    raw = RawDocument("x.txt", "<U+00A0><U+00A0><U+00A0><U+00A0>一、２００９年工作回顾\n正文<U+4E00>段。", "text")
    assert clean_document(raw).text == "一、２００９年工作回顾\n正文一段。"


def test_digits_spaced_out_by_a_scrape_are_joined():
    line = "1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元，去年经济增长8 ．8 ％，人口自然增长率下降到1 0 ．0 6 ‰。"
    assert _clean(line).text == "1997年国内生产总值达到74772亿元，去年经济增长8．8％，人口自然增长率下降到10．06‰。"


def test_joined_digits_are_read_whole():
    from transforms.extract import extract
    from transforms.reference import default_reference

    text = _clean("二、关于1 9 9 8 年政府工作\n家庭电视机普及率达到8 5 ％以上，人口自然增长率下降到1 0 ．0 6 ‰。").text
    found = extract(text, 1998, default_reference()).figures
    assert [(f.value_low, f.unit, f.value_text) for f in found] == [(85.0, "％", "85％以上"), (10.06, "‰", "10．06‰")]
    assert all(f.value_text in f.sentence for f in found)


def test_lines_with_ordinary_numbers_keep_their_spaces():
    for line in ("表1 2023 2024 2025", "2023年 1 月", "增长 5%，新增 3 家", "第1 2 3 项共2024个"):
        assert _clean(line).text == line


def test_zero_width_space_inside_a_number_is_dropped():
    assert _clean("增长1\u200b0.5%，达到１\u200b０．０６万元").text == "增长10.5%，达到１０．０６万元"
