"""Document metadata: title, type, region, report year, publish date, source and issuer.

Each field comes from the first source that has it: explicit metadata (front matter, HTML <meta>, bundle
columns), then cues in the text. A field that cannot be found is None with a "metadata_unknown" warning.

The region is the unit whose report this is, at its own level (a district's report is the district, never its
city; a place only mentioned never becomes the region). First row that applies:

| evidence                                                                   | region                           |
| -------------------------------------------------------------------------- | -------------------------------- |
| a stated region (front matter, <meta>, bundle column) that resolves; a     | it                               |
|   shared name settled by the inbox folders or the text                     |                                  |
| a national cue in the head (我代表国务院, 在第…届全国人民代表大会…会议上,  | 全国 (100000, national)          |
|   国务院总理) and no local congress or government cue                      |                                  |
| weighted cues: congress line (在海拉尔区第十三届人民代表大会) ×50,          | the most specific unit they      |
|   government (我代表…人民政府, …人民政府区长) ×20, title ×10, inbox folder  |   clearly point to (choose); the |
|   (inbox/广东省/广州市/…) ×10, each mention in the text ×1                 |   scope word (全区, 全县) takes   |
|                                                                            |   it to the one supported child  |
|                                                                            |   of that type                   |
| a name several units share, nothing telling them apart                     | None, warning naming candidates  |
| nothing                                                                    | None, warning                    |

A unit that did not exist in the report's year (abolished before, created after) is kept with a warning naming
its years and successor. Names are looked up for the report's year (钢城区 before and after 2019).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from pathlib import PurePosixPath

from .gazetteer import UNIT_SUFFIXES, Gazetteer, gazetteer_for
from .outline import report_year_from_outline
from .models import CleanText, DocumentMeta, Finding, RawDocument
from .numbers import YEAR_RE as _YEAR, parse_chinese
from .reference import Reference, Region

_CJK = "\u4e00-\u9fff"
_DATE = re.compile(rf"({_YEAR})\s*[-./年]\s*(\d{{1,2}})\s*[-./月]\s*(\d{{1,2}})(?!\d)")
_LABELLED_DATE = re.compile(
    rf"(?:(?:发布日期|发布时间|发表时间|成文日期|日期|时间)\s*[:：]|原创)\s*({_YEAR}\s*[-./年]\s*\d{{1,2}}\s*[-./月]\s*\d{{1,2}})")
_TAIL_CHARS = 2000
_HEAD_CHARS = 3000

_TITLE_MAX = 60
_TITLE_BAD_END = tuple("。；;，,：:、")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s).*$")

_GWR_TITLE = re.compile(r"政府工作报告")
_GWR_SPEECH = re.compile(r"各位代表|向大会报告(?:政府)?工作|请予审议")
_PLAN_TITLE = re.compile(r"规划|计划|方案|纲要|实施意见|行动计划")
_NEWS_CUES = re.compile(r"记者|通讯员|原创\s*\d|日电|讯\s*[(（]|新闻|报道|APP\s*[•·]")

_CONGRESS = re.compile(r"第[一二三四五六七八九十百\d]+届人民代表大会")
_GOVERNMENT_CUE = re.compile(rf"(?:我代表|来源[:：])\s*([{_CJK}]{{2,20}}?)人民政府")
_GOVERNMENT = re.compile(r"人民政府(?=\s*副?(?:省长|市长|区长|县长|州长|旗长|盟长|主席))")
_CJK_RUN_BEFORE = re.compile(rf"[{_CJK}]{{1,20}}$")
_SPEAKER = re.compile(rf"^(省长|市长|区长|县长|州长|主席|镇长|主任)\s*([{_CJK}]{{2,4}})$", re.M)
_SOURCE_LABEL = re.compile(r"(?:文章来源|信息来源|稿件来源|来源)\s*[:：]\s*([^\s)）】\]]{2,30})")
_OUTLET = re.compile(rf"^([{_CJK}]{{2,10}}(?:时报|日报|晚报|都市报|报|新闻|网))\s*(?:APP|客户端)?\s*(?:[(（]\s*记者|[•·])", re.M)
_DELIVERED = re.compile(rf"({_YEAR})年\d{{1,2}}月\d{{1,2}}日在[^\n]{{0,40}}(?:人民代表大会|会议)")
_GWR_YEAR = re.compile(rf"({_YEAR})年(?:度)?政府工作报告")
_TITLE_YEAR = re.compile(rf"(?<![到至\d])({_YEAR})(?!\d)")
# 在第十四届全国人民代表大会第二次会议上: the national congress meets every year, a new one every five (6th = 1983).
_NPC_SESSION = re.compile(r"(?:向|在)第([一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议")
_HORIZON = re.compile(rf"(\d{{1,2}}|[一二两三四五六七八九十])年[^。\n]{{0,6}}?目标[^。\n]{{0,6}}?到({_YEAR})年")
_URL_LABEL = re.compile(r"(?:原文链接|原文地址|来源链接|原文网址|链接|网址|URL)\s*[:：]\s*<?(https?://[^\s<>]+)", re.I)
_URL_LINE = re.compile(r"^\s*<?(https?://[^\s<>]+)>?\s*$", re.M)

# Weights of the places a region is named: a congress / government cue outweighs the title, which
# outweighs a single mention in the body.
_W_CONGRESS = 50.0
_W_GOVERNMENT = 20.0
_W_TITLE = 10.0
_W_FOLDER = 10.0
_W_BODY = 1.0

NATIONAL_CODE = "100000"
_NATIONAL = re.compile(r"我代表国务院|在第[一二三四五六七八九十百\d]+届全国人民代表大会第[一二三四五六七八九十\d]+次会议上|"
                       r"国务院总理|国务院政府工作报告")
# Scope words (全区, 全县 …): how often the report speaks of its whole territory, by the unit type it names
# (not 全市场, 全区域, 全县域, 全省份, 全市级).
_SCOPE = re.compile(rf"(?<=全)[{UNIT_SUFFIXES}](?![场域份级])")
_MIN_SCOPE = 5
_MIN_SUPPORT_SCOPE = 1.0


def _cjk_before(text: str, pos: int) -> str:
    """The run of (at most 20) Chinese characters that ends at pos."""
    m = _CJK_RUN_BEFORE.search(text, max(0, pos - 20), pos)
    return m.group() if m else ""


def _unknown(field: str, why: str = "") -> Finding:
    return Finding(check="metadata_unknown", severity="warning", message=f"{field} unknown{why}")


def parse_date(value: str | None) -> str | None:
    """The first Y-M-D date in a string as ISO 8601 (2023-03-08), if it is a valid date."""
    m = _DATE.search(value or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _title(raw: RawDocument, clean: CleanText) -> str | None:
    if raw.meta.get("title", "").strip():
        return " ".join(raw.meta["title"].split())
    if raw.meta.get("html_title", "").strip():
        return _SITE_SUFFIX.sub("", raw.meta["html_title"]).strip() or None
    first = clean.text.split("\n", 1)[0].strip()
    if 4 <= len(first) <= _TITLE_MAX and not first.endswith(_TITLE_BAD_END) and re.search(f"[{_CJK}]", first):
        return first
    return None


def _doc_type(raw: RawDocument, title: str | None, head: str) -> str:
    if raw.meta.get("doc_type"):
        return raw.meta["doc_type"]
    title = title or ""
    if _GWR_TITLE.search(title) or len(_GWR_SPEECH.findall(head)) >= 2:
        return "government_work_report"
    if _PLAN_TITLE.search(title):
        return "plan"
    tags = " ".join(raw.meta.get(k, "") for k in ("tags", "categories", "sitename"))
    if _NEWS_CUES.search(head) or re.search(r"新闻|news", tags, re.I):
        return "news"
    return "other"


def _region(raw: RawDocument, title: str | None, text: str, ref: Reference,
            year: int | None) -> tuple[Region | None, list[Finding]]:
    """The region whose report this is, at its own level (see the module docstring's decision table)."""
    gaz = gazetteer_for(ref)
    findings: list[Finding] = []
    folders = _folder_regions(gaz, raw.source_file, year)
    stated = re.sub(r"\s+", "", raw.meta.get("region", ""))
    stated_codes: tuple[str, ...] = ()
    if stated:
        region = gaz.resolve(stated, folders, year)
        if region:
            return region, []
        stated_codes = gaz.candidates(gaz.by_name.get(stated, ()), year)
        if len(stated_codes) < 2:
            findings.append(Finding("metadata_unknown", "warning", f"region '{stated}' is not in the gazetteer",
                                    detail=stated))
    head = f"{raw.text[:_HEAD_CHARS]}\n{title or ''}"
    body = gaz.scan(text, folders, year)
    known = set(body.counts) | set(folders)
    title_mentions = gaz.scan(title or "", known, year, cue=True)
    known |= set(title_mentions.counts)
    ambiguous = body.ambiguous + title_mentions.ambiguous
    weights: Counter[str] = Counter()
    cues = [(_W_CONGRESS, _cjk_before(head, m.start())) for m in _CONGRESS.finditer(head)]
    cues += [(_W_GOVERNMENT, m.group(1)) for m in _GOVERNMENT_CUE.finditer(head)]
    cues += [(_W_GOVERNMENT, _cjk_before(head, m.start())) for m in _GOVERNMENT.finditer(head)]
    for weight, snippet in cues:
        found = gaz.scan(snippet, known, year, cue=True)
        ambiguous += found.ambiguous
        for code, n in found.counts.items():
            weights[code] += weight * n
    if not weights and _NATIONAL.search(head) and not stated_codes:
        return gaz.by_code.get(NATIONAL_CODE), findings
    for code, n in title_mentions.counts.items():
        weights[code] += _W_TITLE * n
    for code in folders:
        weights[code] += _W_FOLDER
    cued = set(weights)
    for code, n in body.counts.items():
        weights[code] += _W_BODY * n
    region = _by_scope(gaz, gaz.choose(weights), weights, text)
    if stated_codes:
        return _stated_shared_name(gaz, stated, stated_codes, region, findings)
    if region is None:
        why = " (no gazetteer region is clearly named in the title or text"
        if ambiguous:
            why += "; ambiguous: " + "; ".join(f"{name} = {gaz.describe(name)}" for name in ambiguous)
        findings.append(_unknown("region", why + ")"))
        return None, findings
    if not cued & {r.code for r in gaz.path(region.code)}:
        named = ", ".join(f"{gaz.by_code[c].name} x{n}" for c, n in body.counts.most_common(3))
        findings.append(Finding("metadata_inferred", "info",
                                f"region {region.name} inferred from mentions in the text only ({named})"))
    return region, findings


def _folder_regions(gaz: Gazetteer, source_file: str, year: int | None) -> list[str]:
    """Regions named by the folders of the file's path in the inbox (inbox/广东省/广州市/…), outermost first."""
    codes: list[str] = []
    for folder in PurePosixPath(source_file.replace("\\", "/")).parent.parts:
        region = gaz.resolve(folder, codes, year)
        if region and region.level != "national":
            codes.append(region.code)
    return codes


def _by_scope(gaz: Gazetteer, region: Region | None, weights: Mapping[str, float], text: str) -> Region | None:
    """Descend to the unit the report's scope word names (全区 in a district's report) if it alone is supported.

    A district's report says 全区 far more than 全市; if the weights stop at its city (the district's own name
    being written out only a few times), the one supported child whose name ends in 区 is the report's region.
    """
    scopes = Counter(_SCOPE.findall(text))
    if not region or not scopes:
        return region
    suffix, n = scopes.most_common(1)[0]
    if n < _MIN_SCOPE or region.name.endswith(suffix) or region.level == "national":
        return region
    below = [c for c in gaz.children.get(region.code, ())
             if weights.get(c, 0) >= _MIN_SUPPORT_SCOPE and gaz.by_code[c].name.endswith(suffix)]
    return gaz.by_code[below[0]] if len(below) == 1 else region


def _stated_shared_name(gaz: Gazetteer, stated: str, codes: tuple[str, ...], inferred: Region | None,
                        findings: list[Finding]) -> tuple[Region | None, list[Finding]]:
    """The region a stated shared name (吉林: 吉林省 or 吉林市) means: the one on the text's region chain."""
    on_chain = [r for r in gaz.path(inferred.code) if r.code in codes] if inferred else []
    if on_chain:
        findings.append(Finding("metadata_inferred", "info",
                                f"region '{stated}' ({gaz.describe(stated)}) taken as {on_chain[0].name}, "
                                "the one the text names", detail=stated))
        return on_chain[0], findings
    findings.append(Finding("metadata_unknown", "warning",
                            f"region '{stated}' is ambiguous ({gaz.describe(stated)}) and the text does not tell "
                            "which", detail=stated))
    return None, findings


def _publish_date(raw: RawDocument, head: str) -> str | None:
    for key in ("publish_date", "date"):
        date = parse_date(raw.meta.get(key))
        if date:
            return date
    m = _LABELLED_DATE.search(head)
    return parse_date(m.group(1)) if m else None


def _report_year(raw: RawDocument, title: str | None, head: str, publish_date: str | None,
                 text: str) -> tuple[int | None, list[Finding]]:
    stated = re.search(_YEAR, raw.meta.get("year", ""))
    if stated:
        return int(stated.group()), []
    published = int(publish_date[:4]) if publish_date else None
    def matched(pattern: re.Pattern[str], source: str) -> int | None:
        m = pattern.search(source)
        return int(m.group(1)) if m else None

    found = (lambda: matched(_TITLE_YEAR, title or ""), lambda: matched(_DELIVERED, head),
             lambda: matched(_GWR_YEAR, head),
             lambda: report_year_from_outline(text),  # 一、2023年工作回顾 → 2024; 二、2010年主要任务 → 2010
             lambda: _npc_session_year(head))
    for source in found:
        year = source()
        # a year well after publication is a horizon (锚定2030年目标), not the year reported on
        if year is not None and (published is None or year <= published + 1):
            return year, []
    if published:
        return published, []
    m = _HORIZON.search(text)
    if m:
        span = int(m.group(1)) if m.group(1).isdigit() else int(parse_chinese(m.group(1)) or 0)
        year = int(m.group(2)) - span + 1
        return year, [Finding("metadata_inferred", "info",
                              f"report_year {year} inferred from a {span}-year target to {m.group(2)}",
                              detail=m.group())]
    return None, [_unknown("report_year", " (no year in metadata, title, delivery line, outline or publish date)")]


def _npc_session_year(head: str) -> int | None:
    """The year of a national congress session named in the delivery line (第十届…第一次会议 → 2003)."""
    m = _NPC_SESSION.search(head)
    if not m:
        return None
    congress, session = parse_chinese(m.group(1)), parse_chinese(m.group(2))
    if congress is None or session is None or congress < 6 or not 1 <= session <= 5:
        return None
    return int(1983 + 5 * (congress - 6) + session - 1)


def _source_url(raw: RawDocument) -> str | None:
    if raw.meta.get("source_url", "").startswith(("http://", "https://")):
        return raw.meta["source_url"]
    m = _URL_LABEL.search(raw.text) or _URL_LINE.search(raw.text)
    return m.group(1) if m else None


def _government(head: str, ref: Reference) -> str | None:
    """The government named as the report's author (我代表海珠区人民政府, 荔湾区人民政府区长…)."""
    gaz = gazetteer_for(ref)
    for m in _GOVERNMENT_CUE.finditer(head):
        if m.group().startswith("我代表"):
            return f"{m.group(1)}人民政府"
    for m in _GOVERNMENT.finditer(head):
        named = _cjk_before(head, m.start())
        first = next(gaz.index.finditer(named), None)
        if first:
            return f"{named[first[0]:]}人民政府"
    return None


def _issuer(raw: RawDocument, doc_type: str, head: str, ref: Reference) -> str | None:
    if raw.meta.get("issuer", "").strip():
        return raw.meta["issuer"].strip()
    source = _SOURCE_LABEL.search(head)
    outlet = _OUTLET.search(head)
    government = _government(head, ref)
    speaker = _SPEAKER.search(head)
    if doc_type == "news":
        candidates = [source and source.group(1), outlet and outlet.group(1), raw.meta.get("sitename"), government]
    else:
        candidates = [government, source and source.group(1), raw.meta.get("sitename"), outlet and outlet.group(1)]
    body = next((c for c in candidates if c), None)
    if body and speaker and body.endswith("人民政府"):
        return f"{body}（{speaker.group(1)} {speaker.group(2)}）"
    return body


def infer_metadata(raw: RawDocument, clean: CleanText, ref: Reference) -> DocumentMeta:
    """Infer what the document is from its front matter, HTML meta and text cues."""
    head = raw.text[:_HEAD_CHARS]
    title = _title(raw, clean)
    doc_type = _doc_type(raw, title, head)
    publish_date = _publish_date(raw, f"{head}\n{raw.text[-_TAIL_CHARS:]}")  # info bars sit at the top or foot
    report_year, findings = _report_year(raw, title, head, publish_date, clean.text)
    region, region_findings = _region(raw, title, clean.text, ref, report_year)
    findings += region_findings + _validity(ref, region, report_year)
    province, prefecture = gazetteer_for(ref).chain(region.code) if region else (None, None)
    source_url = _source_url(raw)
    issuer = _issuer(raw, doc_type, head, ref)
    for name, value in (("title", title), ("publish_date", publish_date), ("source_url", source_url),
                        ("issuer", issuer)):
        if value is None:
            findings.append(_unknown(name))
    return DocumentMeta(
        title=title, doc_type=doc_type, region_code=region.code if region else None,
        region_name=region.name if region else None, region_level=region.level if region else None,
        report_year=report_year, publish_date=publish_date, source_url=source_url, issuer=issuer, findings=findings,
        province_code=province.code if province else None, province_name=province.name if province else None,
        prefecture_code=prefecture.code if prefecture else None,
        prefecture_name=prefecture.name if prefecture else None)


def _validity(ref: Reference, region: Region | None, year: int | None) -> list[Finding]:
    """A warning if the region did not exist in the report's year (莱芜市 after 2019, 莱芜区 before)."""
    if region is None or year is None or region.valid_in(year):
        return []
    span = f"{region.valid_from or 'before 2000'} to {region.valid_to or 'now'}"
    successor = gazetteer_for(ref).by_code.get(region.successor_code or "")
    then = f"; successor {successor.name} ({successor.code})" if successor else ""
    return [Finding("region_not_current", "warning",
                    f"region {region.name} ({region.code}) did not exist in {year} (valid {span}{then})",
                    detail=region.code)]
