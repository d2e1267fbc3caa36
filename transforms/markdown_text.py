"""Markdown to text: YAML front matter to metadata (python-frontmatter), inline markup to plain text."""
from __future__ import annotations

import datetime as dt
import re

import frontmatter

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M)
_MD_CUE = re.compile(r"^ {0,3}#{1,6}[ \t]+\S|\]\([^)\s]*\)", re.M)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<((?:https?:)?//[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_RULE = re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M)
_QUOTE = re.compile(r"^ {0,3}> ?", re.M)

# Front matter keys mapped to RawDocument.meta keys; other keys are kept under their own name.
_KEY_MAP = {"date": "publish_date", "published": "publish_date", "url": "source_url", "link": "source_url",
            "source": "source_url", "permalink": "source_url", "author": "author", "year": "year",
            "region": "region", "title": "title", "issuer": "issuer", "publish_date": "publish_date",
            "source_url": "source_url"}


def has_front_matter(text: str) -> bool:
    """True if the text starts with a YAML front matter block."""
    return bool(_FRONT_MATTER.match(text))


def looks_like_markdown(text: str) -> bool:
    """True if the text uses Markdown headings or links."""
    return bool(_MD_CUE.search(text[:20000]))


def _meta_value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "|".join(_meta_value(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Separate YAML front matter from the body; a malformed block is left in the body."""
    if not has_front_matter(text):
        return {}, text
    try:
        post = frontmatter.loads(text.lstrip("\ufeff"))
    except Exception:  # malformed YAML: python-frontmatter raises the parser's own error types
        return {}, text
    meta: dict[str, str] = {}
    for key, value in post.metadata.items():
        if value is None or value == "":
            continue
        meta[_KEY_MAP.get(str(key).lower(), str(key))] = _meta_value(value)
    return meta, post.content


def markdown_to_text(text: str) -> str:
    """Plain text of Markdown: headings, emphasis, links and images reduced to their text."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HEADING.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _RULE.sub("", text)
    return _QUOTE.sub("", text)
