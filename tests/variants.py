"""Test helpers: build the same report (a title and paragraphs) as .txt, .md, .html, .docx and .pdf bytes."""
from __future__ import annotations

import html
import io
from collections.abc import Callable


def as_txt(title: str, paragraphs: list[str], encoding: str = "utf-8") -> bytes:
    """Plain text, one blank line between paragraphs."""
    return "\n\n".join([title, *paragraphs]).encode(encoding)


def as_markdown(title: str, paragraphs: list[str]) -> bytes:
    """Markdown with YAML front matter holding the title and date."""
    front = f'---\ntitle: "{title}"\ndate: 2022-01-21 22:38:00 +0800\ntags: [news]\n---\n'
    return (front + f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n").encode("utf-8")


def as_html(title: str, paragraphs: list[str]) -> bytes:
    """A full web page: head metadata, breadcrumb, toolbar, the article, and a footer."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}_示例网</title>
<meta name="PubDate" content="2022-01-21 22:38"><link rel="canonical" href="https://example.org/news/1.html">
<script>var x = "不是正文";</script><style>p {{ color: red }}</style></head>
<body><div class="nav">您当前所在的位置：<a href="/">首页</a> &gt; <a href="/news">新闻</a></div>
<div class="toolbar">【字号：大 中 小】 【打印】 【关闭】</div>
<div class="article"><h1>{html.escape(title)}</h1>
<div class="info">发布日期：2022-01-21 来源：示例网</div>
{body}</div>
<div class="footer"><p>版权所有 © 示例网 粤ICP备00000000号</p><p>联系我们 | 友情链接 | 站点地图</p></div>
</body></html>"""
    return page.encode("utf-8")


def as_docx(title: str, paragraphs: list[str]) -> bytes:
    """A Word document: a heading and one paragraph per paragraph."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(title: str, paragraphs: list[str], encrypt: object = None, page_numbers: bool = False,
           header: str = "") -> bytes:
    """A PDF with a real text layer in reportlab's built-in CJK font, paragraphs indented and wrapped.

    encrypt is a user password or a reportlab StandardEncryption; page_numbers adds a "- n -" footer and
    header a running header on every page.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK",
                          firstLineIndent=22)
    head = ParagraphStyle("head", parent=body, fontSize=16, leading=22, firstLineIndent=0, alignment=1)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, encrypt=encrypt)
    def footer(canvas, document) -> None:
        canvas.setFont("STSong-Light", 9)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")
        if header:
            canvas.drawString(72, A4[1] - 40, header)

    doc.build([Paragraph(html.escape(title), head), *(Paragraph(html.escape(p), body) for p in paragraphs)],
              onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def as_image_only_pdf() -> bytes:
    """A PDF whose page holds only drawings (no text layer), like a scan."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    return out.getvalue()


VARIANTS: dict[str, tuple[str, Callable[[str, list[str]], bytes]]] = {
    "utf8": ("report.txt", as_txt),
    "gb18030": ("report_gb.txt", lambda t, p: as_txt(t, p, "gb18030")),
    "markdown": ("report.md", as_markdown),
    "html": ("report.html", as_html),
    "docx": ("report.docx", as_docx),
    "pdf": ("report.pdf", as_pdf),
}
