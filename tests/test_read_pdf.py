"""PDF text layer: paragraphs rebuilt across lines and pages, page furniture dropped, encryption handled."""
from __future__ import annotations

from reportlab.lib.pdfencrypt import StandardEncryption

from transforms.read import read_document
from transforms.read_pdf import _Line, _paragraphs
from variants import as_pdf

PARAGRAPHS = [f"第{i}段，全年城镇新增就业{i}万人，地区生产总值增长5%左右，推进高质量发展取得新成效。" * 4
              for i in range(1, 41)]


def test_long_pdf_keeps_paragraphs_across_pages_and_drops_page_numbers_and_headers():
    data = as_pdf("标题", PARAGRAPHS, page_numbers=True, header="某某市人民政府公报 2024年第3期")
    doc = read_document("long.pdf", data)[0]
    assert doc.text.split("\n") == ["标题", *PARAGRAPHS]


def test_a_line_repeated_inside_the_body_is_not_taken_for_a_header():
    paragraphs = ["同上。", *PARAGRAPHS[:3], "同上。", *PARAGRAPHS[3:6], "同上。"]
    doc = read_document("r.pdf", as_pdf("标题", paragraphs))[0]
    assert doc.text.split("\n") == ["标题", *paragraphs]


def test_heading_in_a_larger_font_is_its_own_paragraph():
    doc = read_document("short.pdf", as_pdf("标题", ["正文一。", "正文二。"]))[0]
    assert doc.text.split("\n") == ["标题", "正文一。", "正文二。"]


def test_characters_outside_the_basic_plane_do_not_shift_line_geometry():
    paragraphs = ["𠀀𠀁两个扩展区汉字开头，后面是一段足够长的正文用于换行。" * 3, "第二段。", "第三段，完。"]
    doc = read_document("ext.pdf", as_pdf("标题", paragraphs))[0]
    assert doc.text.split("\n") == ["标题", *paragraphs]


def test_pdf_with_only_an_owner_password_is_read():
    locked_edit = StandardEncryption(userPassword="", ownerPassword="owner", canModify=0)
    doc = read_document("owner.pdf", as_pdf("标题", ["正文一。"], encrypt=locked_edit))[0]
    assert doc.text.split("\n") == ["标题", "正文一。"]


def test_word_hyphenated_at_a_line_end_is_joined():
    lines = [_Line("The structures man\ufffe", 72, 540, 100, 110), _Line("agement is fine.", 72, 200, 112, 122)]
    assert _paragraphs([lines]) == ["The structures management is fine."]
