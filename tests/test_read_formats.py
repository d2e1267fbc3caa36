"""The same report read from every supported format gives the same cleaned text and the same figures."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from transforms.clean import clean_document
from transforms.pipeline import process_document
from transforms.read import read_document
from transforms.reference import default_reference
from variants import VARIANTS, as_html, as_txt

SAMPLE = Path(__file__).resolve().parent.parent / "seeds" / "reports" / "002_135597961e4228ea.txt"


def _report() -> tuple[str, list[str]]:
    """Title and paragraphs of a sample report (characters missing from the PDF test font replaced)."""
    raw = read_document(SAMPLE.name, SAMPLE.read_bytes())[0]
    lines = clean_document(raw).text.translate(str.maketrans("•·", "、、")).split("\n")
    return lines[0], lines[1:]


def _normalised(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _figures(doc) -> list[tuple]:
    return [(f.kind, f.value_low, f.value_high, f.unit, f.comparator, f.period_year) for f in doc.extraction.figures]


@pytest.fixture(scope="module")
def variants() -> dict[str, list]:
    title, paragraphs = _report()
    return {key: read_document(name, build(title, paragraphs)) for key, (name, build) in VARIANTS.items()}


def test_every_variant_is_read_with_its_format(variants):
    fmts = {key: docs[0].fmt for key, docs in variants.items()}
    assert fmts == {"utf8": "txt", "gb18030": "txt", "markdown": "md", "html": "html", "docx": "docx",
                    "pdf": "pdf"}
    assert variants["gb18030"][0].encoding == "gb18030"
    assert variants["utf8"][0].encoding == "utf-8"


def test_cleaned_text_is_the_same_in_every_format(variants):
    title, paragraphs = _report()
    expected = _normalised("\n".join([title, *paragraphs]))
    for key, docs in variants.items():
        assert len(docs) == 1
        assert _normalised(clean_document(docs[0]).text) == expected, key


def test_figures_are_the_same_in_every_format(variants):
    ref = default_reference()
    figures = {key: _figures(process_document(docs[0], ref)) for key, docs in variants.items()}
    assert figures["utf8"]
    assert all(f == figures["utf8"] for f in figures.values())


def test_metadata_agrees_across_formats(variants):
    ref = default_reference()
    metas = {key: process_document(docs[0], ref).meta for key, docs in variants.items()}
    assert {(m.title, m.region_code, m.report_year) for m in metas.values()} == {
        ("建设老城市新活力示范区,荔湾2022有这些展望", "440103", 2022)}
    assert metas["markdown"].publish_date == metas["html"].publish_date == "2022-01-21"
    assert metas["html"].source_url == "https://example.org/news/1.html"


def test_html_page_furniture_and_scripts_are_not_text(variants):
    text = clean_document(variants["html"][0]).text
    for junk in ("不是正文", "首页", "字号：", "【打印】", "版权所有", "友情链接", "ICP备"):
        assert junk not in text


def test_txt_file_holding_html_is_read_as_html():
    docs = read_document("page.txt", as_html("标题一", ["城镇新增就业1.8万人。"]))
    assert docs[0].fmt == "html"
    assert "<p>" not in docs[0].text and "城镇新增就业1.8万人。" in docs[0].text


def test_front_matter_is_metadata_and_html_body_is_text():
    data = ('---\nlayout: post\ntitle: "桂城2022年目标"\ndate: 2022-01-28 16:07:06 +0800\n---\n'
            "<p>第一段，新增就业1万人。</p>\n <p><strong>小标题</strong></p>\n"
            "[返回首页](//example.org/)\n").encode()
    doc = read_document("post.txt", data)[0]
    assert doc.meta["title"] == "桂城2022年目标" and doc.meta["layout"] == "post"
    assert doc.meta["publish_date"].startswith("2022-01-28")
    assert "layout" not in doc.text and "<p>" not in doc.text
    assert doc.text.splitlines()[:2] == ["第一段，新增就业1万人。", "小标题"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_encodings_are_detected_and_recorded(encoding):
    text = "海珠区2023年政府工作报告\n\n" + "地区生产总值增长5%左右，城镇新增就业1.8万人。" * 20
    doc = read_document("r.txt", text.encode(encoding))[0]
    assert doc.text.strip() == text.strip()
    assert doc.encoding in {"utf-8-sig": {"utf-8-sig"}, "utf-16": {"utf-16"},
                            "gb18030": {"gb18030"}, "gbk": {"gb18030", "gbk"}}[encoding]


def test_csv_bundle_rows_are_documents_with_metadata():
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "region", "year", "title", "source_url", "publish_date", "full_text"])
    w.writerow(["a1", "海珠区", "2023", "报告甲", "https://x.org/1", "2023-03-08", "第一段。\n第二段，增长5%。"])
    w.writerow(["", "荔湾区", "2022", "报告乙", "", "", "<p>网页正文一。</p><p>网页正文二。</p>"])
    docs = read_document("bundle.csv", out.getvalue().encode("utf-8"))
    assert [(d.part, d.fmt) for d in docs] == [("a1", "csv"), ("row2", "csv")]
    assert docs[0].meta == {"region": "海珠区", "year": "2023", "title": "报告甲", "source_url": "https://x.org/1",
                            "publish_date": "2023-03-08"}
    assert docs[0].text == "第一段。\n第二段，增长5%。"
    assert docs[1].text == "网页正文一。\n网页正文二。"


def test_jsonl_bundle_row_keys_are_stable_and_unique():
    rows = [{"url": "https://x.org/a", "full_text": "正文一。"}, {"url": "https://x.org/a", "full_text": "正文二。"},
            {"full_text": "正文三。", "region": "广州市"}]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    docs = read_document("b.jsonl", data)
    assert [d.part for d in docs] == ["https://x.org/a", "https://x.org/a#row2", "row3"]
    assert docs[2].meta == {"region": "广州市"}
    assert read_document("b.txt", data)[0].fmt == "jsonl"  # sniffed, not taken from the extension


def test_plain_text_keeps_paragraphs_as_lines():
    doc = read_document("r.txt", as_txt("标题", ["第一段。", "第二段。"]))[0]
    assert clean_document(doc).text == "标题\n第一段。\n第二段。"
