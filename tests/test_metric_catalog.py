"""The metric catalog (seeds/reference/metrics.csv): complete rows, SCHEMA's headline codes, unambiguous aliases,
and what the warehouse and `mubiao metrics` make of it."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from transforms import frames
from transforms.models import DocumentMeta, Extraction, Figure
from transforms.documents import ProcessedDocument, document_id_for, sha256_hex
from transforms.reference import default_reference
from transforms.units import PERCENT_FAMILIES
from warehouse import db, load
from warehouse.publish import publish

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = PROJECT / "tests" / "data" / "SCHEMA.md"
MEASURES = {"level", "growth", "share", "rate", "change"}
DOMAINS = {"economy", "fiscal and debt", "money and finance", "investment", "consumption", "trade and foreign capital",
           "employment", "prices", "income", "innovation", "industry and digital economy", "agriculture",
           "energy and environment", "population and urbanisation", "social services"}
REF = default_reference()
METRICS = {m.code: m for m in REF.metrics}


def _schema_codes() -> set[str]:
    text = SCHEMA.read_text(encoding="utf-8")
    block = text[text.index("Headline metric codes"):text.index("A catalog may hold")]
    # codes are the snake_case (or digit-bearing) tokens, plus gdp
    tokens = set(re.findall(r"(?<![A-Za-z0-9_.])[a-z][a-z0-9_]*(?![A-Za-z0-9_])", block))
    return {t for t in tokens if "_" in t or any(c.isdigit() for c in t)} | ({"gdp"} & tokens)


def test_catalog_has_at_least_80_complete_codes() -> None:
    assert len(METRICS) == len(REF.metrics) >= 80
    for m in REF.metrics:
        assert m.name_zh and m.name_en and m.aliases, m.code
        assert m.measure in MEASURES, m.code
        assert m.domain in DOMAINS, m.code
        assert m.plausible_min is not None and m.plausible_max is not None and m.plausible_min < m.plausible_max, m.code
    assert {m.domain for m in REF.metrics} == DOMAINS


def test_units_are_known() -> None:
    # 年 is a unit (years of schooling, 10.5年); the extractor reads it only as a duration, never a date (2024年).
    assert {m.code for m in REF.metrics if m.unit not in REF.units} == set()


def test_every_schema_headline_code_is_in_the_catalog_as_its_own_headline() -> None:
    codes = _schema_codes()
    assert len(codes) >= 25 and {"deficit_ratio", "special_bonds", "m2_growth", "grain_output"} <= codes
    for code in codes:
        assert METRICS[code].headline_code == code


def test_finer_codes_roll_up_to_a_headline_code() -> None:
    headline = _schema_codes()
    assert {m.headline_code for m in REF.metrics if m.headline_code} <= headline
    assert METRICS["urban_income_growth"].headline_code == "resident_income_growth"
    assert METRICS["rural_net_income_growth"].headline_code == "resident_income_growth"
    assert METRICS["unemployment_surveyed"].headline_code == "urban_unemployment_rate"
    assert METRICS["unemployment_registered"].headline_code == "urban_unemployment_rate"
    assert METRICS["central_deficit_amount"].headline_code is None  # a part of the deficit, not the whole


def test_issue_minimum_set_is_present() -> None:
    names = {a for m in REF.metrics for a in (m.name_zh, *m.aliases)}
    for word in ("赤字率", "赤字规模", "地方政府专项债券", "超长期特别国债", "广义货币M2", "社会融资规模", "城镇居民人均可支配收入",
                 "农村居民人均可支配收入", "全体居民人均可支配收入", "农村居民人均纯收入", "进出口总额", "出口", "实际使用外资",
                 "常住人口", "城镇化率", "人均预期寿命", "劳动年龄人口平均受教育年限", "森林覆盖率", "单位GDP二氧化碳排放",
                 "地表水优良水体比例", "高技术制造业增加值", "数字经济核心产业增加值占比", "规模以上工业增加值", "第一产业增加值",
                 "第二产业增加值", "第三产业增加值", "旅游总收入", "保障性住房", "粮食产量"):
        assert word in names, word


def test_an_alias_never_names_two_codes_of_the_same_unit_family_and_measure() -> None:
    def measure_class(m) -> str:  # noqa: ANN001 - a Metric
        family = REF.units[m.unit].family if m.unit in REF.units else ""
        if family in PERCENT_FAMILIES:
            return f"{family}:{'growth' if m.measure == 'growth' else 'level'}"
        return f"{family}:{'change' if m.measure == 'change' else 'level'}"

    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in REF.metrics:
        for alias in {m.name_zh, *m.aliases}:
            owners[(alias.upper(), measure_class(m))].add(m.code)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_scope_prefixes_are_not_listed_per_alias() -> None:
    prefixed = [(m.code, a) for m in REF.metrics for a in m.aliases if re.match(r"^全(?:国|省|市|区|县)", a)]
    assert prefixed == []


# --- the warehouse and the CLI -------------------------------------------------------------------------------------

def _figure(start: int, code: str | None, value: float, unit: str = "%") -> Figure:
    return Figure(start=start, end=start + 4, sentence=f"第{start}句", sentence_start=start, value_text=f"{value}{unit}",
                  metric_name=code, metric_code=code, kind="target", value_low=value, value_high=value, unit=unit,
                  comparator="point", period_year=2024, value_base_low=value, value_base_high=value, base_unit=unit)


def _document(figures: list[Figure]) -> ProcessedDocument:
    meta = DocumentMeta(title="报告", doc_type="work_report", region_code="440100", region_name="广州市",
                        region_level="city", report_year=2024)
    return ProcessedDocument(
        document_id=document_id_for(sha256_hex("正文")), source_file="a.txt", part="", content_hash=sha256_hex("正文"),
        fmt="txt", encoding="utf-8", text="正文", raw_text="正文", raw_meta={}, meta=meta,
        extraction=Extraction(figures, []), extractor_version="v1")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog") / "w.duckdb"
    doc = _document([_figure(0, "urban_income_growth", 5.0), _figure(10, "resident_income_growth", 6.0),
                     _figure(20, "gdp_growth", 5.0), _figure(30, None, 3.0)])
    figures = frames.figures_frame([doc], REF)
    with db.connect(path) as con:
        load.load_document(con, "r1", document=frames.documents_frame([doc]), figures=figures,
                           qualitative=frames.qualitative_frame([doc]), findings=frames.findings_frame([doc]),
                           quarantine=figures.iloc[0:0].assign(level=[], reason=[], failed_check=[], check_params=[]))
    publish(path, timeout_s=10)  # the analysts' copy a run leaves, which `mubiao metrics` opens
    return path


def test_figures_view_appends_the_headline_code(warehouse: Path) -> None:
    with db.connect(warehouse, read_only=True) as con:
        columns = [r[0] for r in con.execute("SELECT * FROM figures LIMIT 0").description]
        rows = con.execute("SELECT metric_code, headline_code FROM figures ORDER BY value_low, metric_code").fetchall()
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'figures' "
                              "AND column_name = 'headline_code'").fetchone()
        catalog = con.execute("SELECT count(*), count(domain), count(headline_code) FROM metrics").fetchone()
    assert columns[columns.index("period_start_year") + 1] == "headline_code"   # appended; later columns follow
    assert rows == [(None, None), ("gdp_growth", "gdp_growth"), ("urban_income_growth", "resident_income_growth"),
                    ("resident_income_growth", "resident_income_growth")]
    assert comment is not None and "对应核心指标代码" in comment[0]
    assert catalog[0] == catalog[1] == len(REF.metrics) and catalog[2] > 25


def test_metrics_command_lists_the_catalog_with_loaded_counts(warehouse: Path) -> None:
    result = CliRunner().invoke(app, ["metrics", "--warehouse", str(warehouse), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["code"]: r for r in json.loads(result.output)}
    assert len(rows) == len(REF.metrics)
    assert rows["urban_income_growth"]["figures"] == 1 and rows["grain_output"]["figures"] == 0
    assert rows["urban_income_growth"]["headline_code"] == "resident_income_growth"
    assert {"code", "name", "measure", "unit", "aliases", "figures"} <= set(rows["gdp"])
    assert "国内生产总值" in rows["gdp"]["aliases"].split("|")


def test_metrics_command_filters_by_domain_and_text(warehouse: Path) -> None:
    result = CliRunner().invoke(app, ["metrics", "-w", str(warehouse), "--search", "赤字", "-f", "csv"])
    assert result.exit_code == 0, result.output
    codes = {line.split(",")[0] for line in result.output.splitlines()[1:]}
    assert {"deficit_ratio", "deficit_amount", "central_deficit_amount"} <= codes and "gdp" not in codes
    result = CliRunner().invoke(app, ["metrics", "-w", str(warehouse), "--domain", "prices", "-f", "csv"])
    assert {line.split(",")[0] for line in result.output.splitlines()[1:]} == {
        m.code for m in REF.metrics if m.domain == "prices"}
