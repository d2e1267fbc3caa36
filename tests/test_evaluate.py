"""The gold scorer: value matching in base units, official de-duplication, strict attributes, misses/extras."""
from __future__ import annotations

from pathlib import Path

import pytest

from transforms.evaluate import format_score, score, unit_family

HEADER = "doc,quote,metric,metric_code,kind,value_low,value_high,unit,comparator,sign,period,optional\n"


def _gold(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "gold.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _pred(doc: str = "a.txt", **kw: object) -> dict:
    base = {"doc": doc, "kind": "target", "value_low": 5.0, "value_high": 5.0, "unit": "%", "comparator": "point",
            "period_year": 2024, "metric_code": None, "sentence": "地区生产总值增长5%"}
    return base | kw


@pytest.mark.parametrize(("unit", "family"), [
    ("亿元", ("元", 1e8)), ("万人", ("人", 1e4)), ("%", ("%", 1.0)), ("‰", ("%", 0.1)), ("万千瓦", ("千瓦", 1e4)),
    ("平方千米", ("平方公里", 1.0)), ("", ("", 1.0)), ("个百分点", ("个百分点", 1.0)),
])
def test_unit_family(unit: str, family: tuple[str, float]) -> None:
    assert unit_family(unit) == family


def test_values_match_in_base_units(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,GDP破千亿元,GDP,gdp,target,1000,1000,亿元,at_least,+,2026,0")
    result = score([_pred(value_low=1e11, value_high=1e11, unit="元", comparator="at_least", period_year=2026,
                          metric_code="gdp", sentence="力争GDP破千亿元")], gold)
    assert (result.tp, result.precision, result.recall, result.strict_f1) == (1, 1.0, 1.0, 1.0)


def test_family_must_agree(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,新建学校5所,学校,,target,5,5,所,point,+,2024,0")
    result = score([_pred(unit="个")], gold)
    assert (result.tp, result.misses, len(result.extras)) == (0, [("a", "新建学校5所")], 1)


def test_strict_needs_every_attribute(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,地区生产总值增长5%,地区生产总值,gdp_growth,target,5,5,%,approx,+,2024,0")
    result = score([_pred(metric_code="gdp_growth")], gold)
    assert (result.tp, result.strict_tp, result.f1) == (1, 0, 1.0)
    assert result.attributes == {"kind": (1, 1), "comparator": (0, 1), "period": (1, 1), "metric_code": (1, 1)}
    assert "comparator 0/1 (0.000)" in format_score(result)
    assert result.disagreements == [("a", "地区生产总值增长5%", "comparator", "approx", "point")]


def test_empty_gold_code_and_period_are_not_scored(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,新建学校5所,学校,,target,5,5,所,point,+,,0")
    result = score([_pred(unit="所", metric_code="x", period_year=None)], gold)
    assert result.strict_tp == 1 and "period" not in result.attributes


def test_optional_gold_neither_rewards_nor_penalises(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,十大行动,行动,,target,10,10,大,point,+,2024,1")
    result = score([_pred(value_low=10, value_high=10, unit="大")], gold)
    assert (result.tp, result.predicted, result.gold) == (0, 0, 0)


def test_distinct_figures_with_equal_values_each_need_a_prediction(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,建成6个公园,公园,,actual,6,6,个,point,+,2023,0",
                 "a.txt,治理6个堵点,堵点,,actual,6,6,个,point,+,2023,0")
    one = _pred(kind="actual", value_low=6, value_high=6, unit="个", period_year=2023, sentence="建成6个公园")
    assert score([one, one], gold).tp == 1  # an exact repeat is merged
    assert score([one, one | {"sentence": "治理6个堵点"}], gold).tp == 2


def test_headline_code_and_basis_are_scored(tmp_path: Path) -> None:
    path = tmp_path / "gold.csv"
    path.write_text(HEADER.replace("optional", "basis,period_start,optional")
                    + "a.txt,年均增长5%,地区生产总值,gdp_growth,target,5,5,%,point,+,2030,average_annual,2026,0\n"
                    + "a.txt,失业率5.5%,城镇登记失业率,unemployment_registered,target,5.5,5.5,%,point,+,2030,,,0\n",
                    encoding="utf-8")
    preds = [_pred(period_year=2030, metric_code="gdp_growth", basis="average_annual"),
             _pred(value_low=5.5, value_high=5.5, period_year=2030, metric_code="urban_unemployment_registered",
                   headline_code="urban_unemployment_rate")]
    result = score(preds, path)
    assert result.attributes["basis"] == (1, 1) and result.attributes["metric_code"] == (2, 2)
    assert result.strict_tp == 2
    assert score([preds[0] | {"basis": None}], path).attributes["basis"] == (0, 1)  # unset basis is annual


def test_other_documents_are_ignored_and_stems_compared(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,地区生产总值增长5%,地区生产总值,,target,5,5,%,point,+,2024,0")
    result = score([_pred(doc="inbox/a.html"), _pred(doc="b.txt")], gold)
    assert (result.tp, result.predicted) == (1, 1)


def test_format_score_shows_both_scores_and_misses(tmp_path: Path) -> None:
    gold = _gold(tmp_path, "a.txt,新建学校5所,学校,,target,5,5,所,point,+,2024,0")
    text = format_score(score([], gold))
    assert "value:" in text and "strict:" in text and "miss  a 新建学校5所" in text
