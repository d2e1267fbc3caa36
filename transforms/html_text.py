"""HTML to text: trafilatura for a page's main content, a block-aware full-text fallback, and page metadata."""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset({
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article", "header",
    "footer", "blockquote", "pre", "hr", "dd", "dt", "ul", "ol", "form", "main", "aside", "nav", "figure",
    "figcaption", "center",
})
_CELL_TAGS = frozenset({"td", "th"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
# <meta> names used by Chinese government CMSs and Open Graph, mapped to RawDocument.meta keys.
_META_KEYS = {
    "articletitle": "title", "og:title": "title", "pubdate": "publish_date", "publishdate": "publish_date",
    "article:published_time": "publish_date", "firstpublishedtime": "publish_date", "og:url": "source_url",
    "url": "source_url", "contentsource": "issuer", "author": "author", "sitename": "sitename",
    "og:site_name": "sitename", "description": "description",
}
_HTML_CUE = re.compile(r"<(?:!doctype\s+html|html|body|p|div|br|span|table|h[1-6])\b[^>]*>", re.I)
_PAGE_CUE = re.compile(r"<(?:!doctype\s+html|html|body)\b", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# trafilatura's main content is kept only if it holds at least this share of the page's Chinese characters.
_MIN_MAIN_SHARE = 0.3


def looks_like_html(text: str) -> bool:
    """True if the text is HTML markup (a page or a fragment of block elements)."""
    return len(_HTML_CUE.findall(text[:20000])) >= 2


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = _META_KEYS.get((a.get("name") or a.get("property") or "").lower())
            if key and a.get("content", "").strip() and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("source_url", a["href"].strip())
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP_TAGS:
            self._skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skip_depth:
            self.parts.append(data)

    def result(self) -> tuple[str, dict[str, str]]:
        text = "".join(self.parts)
        lines = (re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", ln).strip() for ln in text.split("\n"))
        title = " ".join("".join(self._title).split())
        if title:
            self.meta.setdefault("html_title", title)
        return "\n".join(ln for ln in lines if ln), self.meta


def html_full_text(html: str) -> tuple[str, dict[str, str]]:
    """All visible text of an HTML document, one block per line, and the metadata in its <head>."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.result()


def _cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    """Main text of an HTML page or fragment and its metadata (title, publish_date, source_url, ...)."""
    full, meta = html_full_text(html)
    if not _PAGE_CUE.search(html[:5000]):
        return full, meta  # a fragment (e.g. the body of a blog post) is all content
    import trafilatura  # only for whole pages: 23 MB and 0.2 s in every process that reads files, HTML or not

    doc = trafilatura.bare_extraction(html, favor_recall=True, with_metadata=True, include_tables=True,
                                      include_comments=False)
    main = (doc.text or "") if doc is not None else ""
    if doc is not None:
        for key, value in (("title", doc.title), ("publish_date", doc.date), ("source_url", doc.url),
                           ("sitename", doc.sitename), ("author", doc.author)):
            if value and key not in meta:
                meta[key] = value
    if not main.strip() or _cjk_count(main) < _MIN_MAIN_SHARE * _cjk_count(full):
        return full, meta
    title = meta.get("title", "")
    if title and not main.lstrip().startswith(title) and title in full:
        main = f"{title}\n{main}"  # trafilatura moves the headline to metadata; keep it as the first line
    return main, meta
