"""The national work reports 2005–2012 through the flow: each year's headline targets paired with the actual
that the following year's report states, with the right status. Labels are read from the report texts."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

CORPUS = Path(__file__).parent / "data" / "corpus"
# metric, year: target (value, quote in national-YEAR), actual (value, quote in national-YEAR+1), status.
# Only targets whose outcome the following report states: it gives no 2007 GDP growth or new jobs (a five-year
# review) and no CPI for 2008, 2009 and 2011.
PAIRS = [
    ("gdp_growth", 2005, 8, "国内生产总值增长8%左右", 9.9, "比上年增长9.9%", "met"),
    ("gdp_growth", 2006, 8, "国内生产总值增长8%左右", 10.7, "比上年增长10.7%", "met"),
    ("gdp_growth", 2008, 8, "国内生产总值增长8%左右", 9, "比上年增长9%", "met"),
    ("gdp_growth", 2009, 8, "国内生产总值增长8%左右", 8.7, "比上年增长8.7%", "met"),
    ("gdp_growth", 2010, 8, "国内生产总值增长8％左右", 10.3, "国内生产总值增长10.3%", "met"),
    ("gdp_growth", 2011, 8, "国内生产总值增长8%左右", 9.2, "比上年增长9.2％", "met"),
    ("cpi_growth", 2005, 4, "居民消费价格总水平涨幅控制在4%", 1.8, "居民消费价格总水平上涨1.8%", "met"),
    ("cpi_growth", 2006, 3, "居民消费价格总水平涨幅控制在3%", 1.5, "居民消费价格总水平上涨1.5%", "met"),
    ("cpi_growth", 2007, 3, "居民消费价格总水平涨幅在 3%以内", 4.8, "比上年上涨4.8%", "missed"),
    ("cpi_growth", 2010, 3, "居民消费价格涨幅3％左右", 3.3, "居民消费价格涨幅控制在 3.3%", "missed"),
    ("new_urban_jobs", 2005, 900, "城镇新增就业900万人", 970, "城镇新增就业人口970万人", "met"),
    ("new_urban_jobs", 2006, 900, "城镇新增就业900万人", 1184, "城镇新增就业1184万人", "met"),
    ("new_urban_jobs", 2008, 1000, "城镇新增就业1000万人", 1113, "城镇新增就业1113万人", "met"),
    ("new_urban_jobs", 2009, 900, "城镇新增就业900万人以上", 1102, "城镇新增就业1102万人", "met"),
    ("new_urban_jobs", 2010, 900, "城镇新增就业900万人以上", 1168, "城镇新增就业1168万人", "met"),
    ("new_urban_jobs", 2011, 900, "城镇新增就业900万人以上", 1221, "城镇新增就业1221万人", "met"),
]
# Grain output (no national target in these years): year → tonnes, as the following report states it.
GRAIN = {2005: (9680e8 * 0.0005, "达到9680亿斤"), 2006: (49746e4, "全年粮食产量达到49746万吨"),
         2007: (50150e4, "2007年产量达到50150万吨"), 2008: (10570e8 * 0.0005, "总产量10570亿斤"),
         2009: (5.31e8, "粮食产量5.31亿吨"), 2010: (1.09e12 * 0.0005, "去年达到1.09万亿斤"),
         2011: (1.14e12 * 0.0005, "粮食产量1.14万亿斤")}


def _text(year: int) -> str:
    return (CORPUS / f"national-{year}.txt").read_text(encoding="utf-8")


def test_the_labels_are_quotes_of_the_reports() -> None:
    for _, year, _, target_quote, _, actual_quote, _ in PAIRS:
        assert target_quote in _text(year) and actual_quote in _text(year + 1), (year, target_quote, actual_quote)
    for year, (_, quote) in GRAIN.items():
        assert quote in _text(year + 1), (year, quote)


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("national")
    inbox = root / "inbox"
    inbox.mkdir()
    for year in range(2005, 2013):
        shutil.copy(CORPUS / f"national-{year}.txt", inbox)
    from flows.ingest import ingest

    outcome = ingest(inbox=str(inbox), warehouse=str(root / "w.duckdb"))
    return root / "w.duckdb", outcome.report_path


def labelled_pairs_found(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[int]]:
    """The PAIRS found in target_attainment (values, following report, status) and the GRAIN years in series."""
    pairs = con.execute("""
        SELECT metric_code, period_year, target_low, actual_value, actual_report_year, status
        FROM target_attainment WHERE basis = 'annual' AND report_year = period_year""").fetchall()
    grain = dict(con.execute("""SELECT period_year, (value_base_low + value_base_high) / 2 FROM series
                                WHERE metric_code = 'grain_output' AND kind = 'actual' AND basis = 'annual'
                                  AND report_year = period_year + 1""").fetchall())
    found = [p for p in PAIRS if any(
        (m, y) == (p[0], p[1]) and t == pytest.approx(p[2]) and a == pytest.approx(p[4]) and ry == p[1] + 1
        and status == p[6] for m, y, t, a, ry, status in pairs)]
    return found, [y for y, (tonnes, _) in GRAIN.items() if grain.get(y) == pytest.approx(tonnes, rel=1e-6)]


def test_the_check_finds_every_labelled_pair_when_extraction_is_right(tmp_path: Path) -> None:
    from tests.attainment_rows import add_document, add_figure
    from warehouse import db

    comparators = {"左右": "approx", "以上": "at_least", "以内": "at_most"}
    units = {"gdp_growth": ("%", 1.0, "%"), "cpi_growth": ("%", 1.0, "%"), "new_urban_jobs": ("万人", 1e4, "人")}
    with db.connect(tmp_path / "w.duckdb") as con:
        docs = {y: add_document(con, f"national-{y}.txt", y) for y in range(2005, 2013)}
        for metric, year, target, quote, actual, actual_quote, _ in PAIRS:
            unit, factor, base = units[metric]
            comparator = next((c for word, c in comparators.items() if quote.endswith(word)), "point")
            add_figure(con, docs[year], "target", metric, target, unit=unit, factor=factor, base_unit=base,
                       comparator=comparator, sentence=quote)
            add_figure(con, docs[year + 1], "actual", metric, actual, unit=unit, factor=factor, base_unit=base,
                       period=year, sentence=actual_quote)
        for year, (tonnes, quote) in GRAIN.items():
            add_figure(con, docs[year + 1], "actual", "grain_output", tonnes, unit="吨", base_unit="吨", period=year,
                       sentence=quote)
        found, grain = labelled_pairs_found(con)
    assert found == PAIRS and grain == list(GRAIN)


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_server")
def test_headline_targets_pair_with_the_following_reports_actual(national: tuple[Path, Path]) -> None:
    warehouse, report = national
    with duckdb.connect(str(warehouse), read_only=True) as con:
        shown = con.execute("""
            SELECT metric_code, period_year, report_year, target_label, status, actual_label, actual_report_year, gap
            FROM target_attainment
            WHERE metric_code IN ('gdp_growth', 'cpi_growth', 'new_urban_jobs', 'grain_output')
              AND period_year BETWEEN 2005 AND 2011 AND basis = 'annual'
            ORDER BY metric_code, period_year, report_year""").fetchall()
        found, grain_found = labelled_pairs_found(con)
        [(region,)] = con.execute("SELECT DISTINCT coalesce(region_name, region_code) FROM documents").fetchall()
    print("\nmetric, year, report, target, status, actual, actual's report, gap")
    for row in shown:
        print(*row, sep=" | ")
    print(f"grain output (no national target these years): series actuals found for {grain_found} of {list(GRAIN)}")
    assert len(found) >= 0.9 * len(PAIRS), sorted(set(PAIRS) - set(found))
    page = report.with_name(report.stem + "-attainment.html").read_text(encoding="utf-8")
    for metric in ("gdp_growth", "cpi_growth", "new_urban_jobs", "grain_output"):
        assert f'data-region="{region}" data-metric="{metric}"' in page
