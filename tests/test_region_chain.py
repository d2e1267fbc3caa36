"""A real flow run: documents and figures carry the region, its level and its province/prefecture chain."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_server")]
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def test_documents_and_figures_carry_the_region_chain(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "内蒙古自治区" / "呼伦贝尔市").mkdir(parents=True)
    shutil.copy(CORPUS / "district-hailar-2014.txt", inbox / "内蒙古自治区" / "呼伦贝尔市" / "2014.txt")
    shutil.copy(CORPUS / "national-2010.txt", inbox / "national-2010.txt")
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(inbox), warehouse=str(wh))
    with duckdb.connect(str(wh), read_only=True) as con:
        docs = con.execute("select source_file, region_code, region_name, region_level, province_code, province_name, "
                           "prefecture_code, prefecture_name from documents order by source_file").fetchall()
        by_province = con.execute("select province_name, region_level, count(*) > 0 from figures "
                                  "group by all order by 1 nulls first").fetchall()
        regions = con.execute("select name, level, kind, valid_to, successor_code from regions "
                              "where code in ('100000', '371200')").fetchall()
        commented = con.execute(
            "select count(*) from duckdb_columns() where table_name = 'figures' and comment is not null "
            "and column_name in ('region_level', 'province_code', 'province_name', 'prefecture_code', "
            "'prefecture_name')").fetchone()
    assert docs == [
        ("national-2010.txt", "100000", "全国", "national", None, None, None, None),
        ("内蒙古自治区/呼伦贝尔市/2014.txt", "150702", "海拉尔区", "district", "150000", "内蒙古自治区", "150700",
         "呼伦贝尔市")]
    assert by_province == [(None, "national", True), ("内蒙古自治区", "district", True)]
    assert sorted(regions) == [("全国", "national", "国家", None, None), ("莱芜市", "city", "地级市", 2019, "370100")]
    assert commented == (5,)
