"""The DataFrames handed to validation and loading: ids, shares and columns."""
from transforms.frames import FIGURE_COLUMNS, cjk_ratio, documents_frame, figures_frame
from transforms.models import RawDocument
from transforms.documents import document_id_for
from transforms.pipeline import process_document
from transforms.reference import default_reference

TEXT = "某区2024年政府工作报告\n今年主要预期目标：地区生产总值增长5%左右，城镇新增就业1.2万人。\n"


def test_cjk_ratio_counts_ideographs_among_visible_characters() -> None:
    assert cjk_ratio("中文 ab\n") == 0.5
    assert cjk_ratio("") == 0.0 and cjk_ratio(" \n") == 0.0
    assert cjk_ratio("Ã¤Â¸Â\xad") == 0.0


def test_document_and_figure_ids_depend_on_content_and_place_not_on_the_file_or_encoding() -> None:
    ref = default_reference()
    a = process_document(RawDocument("a.txt", TEXT, "txt", encoding="utf-8"), ref)
    b = process_document(RawDocument("b.txt", TEXT, "txt", encoding="gb18030"), ref)
    changed = process_document(RawDocument("a.txt", "前言。\n" + TEXT, "txt"), ref)
    fa, fb, fc = (figures_frame([d], ref) for d in (a, b, changed))
    assert len(fa) >= 2 and list(fa.columns) == list(FIGURE_COLUMNS)
    assert list(fa["figure_id"]) == list(fb["figure_id"])
    assert set(fa["figure_id"]).isdisjoint(fc["figure_id"])
    assert a.document_id == b.document_id == document_id_for(a.content_hash) != changed.document_id
    assert fa["figure_id"].is_unique


def test_documents_frame_keeps_raw_text_for_reprocessing() -> None:
    doc = process_document(RawDocument("a.txt", TEXT, "txt", meta={"title": "t"}), default_reference())
    row = documents_frame([doc]).iloc[0]
    assert row["raw_text"] == TEXT and '"title": "t"' in row["raw_meta"]
    assert row["figure_count"] == len(doc.extraction.figures)


def test_text_ids_tell_equal_values_apart_by_their_occurrence_and_a_repeated_sentence_by_its_repeat() -> None:
    from transforms.frames import text_ids
    from transforms.documents import occurrence_in

    sentence = "新增就业2万人，其中高校毕业生2万人。"
    assert [occurrence_in(sentence, "2万人", p) for p in (4, 15)] == [0, 1]
    ids = text_ids("h", [(sentence, "2万人", 4), (sentence, "2万人", 15), (sentence, "2万人", 4)])
    assert len(set(ids)) == 3
    assert text_ids("h", [(sentence, "2万人", 15)]) == [ids[1]]  # the other figures do not change its id
    assert text_ids("other text", [(sentence, "2万人", 4)]) != ids[:1]
