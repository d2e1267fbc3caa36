"""Page furniture: whole lines that belong to the web page or the print layout, not to the report."""
from __future__ import annotations

import re

# Furniture lines are short; a longer line is report prose and is never dropped.
MAX_FURNITURE_LEN = 120

_LABELS = (r"发布日期|发布时间|发表时间|更新时间|日期|时间|来源|信息来源|文章来源|稿件来源|作者|索引号|发文机关|发布机构|"
           r"成文日期|发文字号|文号|主题分类|分类|字号|浏览量|浏览次数|阅读量|阅读数|访问量|点击数|点击量|访问总数")
_FURNITURE = re.compile("|".join((
    r"(?:您(?:当前)?(?:现在)?(?:所在)?的?位置|当前位置|所在位置)\s*[:：].*",   # breadcrumbs
    r"首页\s*[>»›/|｜].*",
    rf"(?:{_LABELS})\s*[:：].*",                                                # info bar: date, source, views
    r"[(（\[【]\s*(?:文章|信息|稿件)?来源\s*[:：].*[)）\]】]",
    r"原创\s*\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?.*",
    r".*(?:版权所有|Copyright|©|（c）|\(c\)|未经授权[,，]?不得转载|未经许可[,，]?不得转载|授权联系方式|转载请注明).*",
    r".*(?:ICP备|ICP证|公网安备|网站标识码|网站识别码).*",
    r"(?:主办|承办|协办|技术支持|主管|运维|维护|网站维护)(?:单位)?\s*[:：].*",
    r"(?:采写|编辑|责任编辑|责编|审核|审校|校对|监制|统筹|策划|摄影|摄像|记者|通讯员|撰文|文|图|作者|实习生|编审)"
    r"\s*[:：/|｜]\s*\S.{0,40}",                                                # credit lines
    r"(?:留言与评论|发表评论|网友评论|我要评论|查看评论).*|.*共有\s*\d*\s*条评论.*",
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+[\s.。,，;；]*(?:(?:电话|Tel)?[:：]?\s*[\d\-\s()（）]{7,})?",  # contact e-mail
    r"(?:(?:联系)?电话|传真|Tel|Fax)?\s*[:：]?\s*[\d\-\s()（）]{7,}",              # contact phone
    r"(?:https?:)?//\S+|www\.\S+",                                               # bare URL
    r"[\s\-—–·]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[\s\-—–·]*",  # page number
)), re.I)
# Words of toolbars, share bars and footers; a line made only of these (and punctuation) is furniture.
_TOOLBAR = re.compile(
    r"视力保护色|长者模式|无障碍|我要纠错|纠错|复制链接|QQ空间|微信|微博|扫一扫|手机扫码|手机阅读|在手机上查看|"
    r"分享到|分享|返回顶部|返回首页|返回|顶部|首页|下载|打印本页|打印|全屏|收藏|关闭窗口|关闭|窗口|字号|字体|默认|"
    r"上一篇|下一篇|相关文章|相关链接|相关阅读|附件|联系我们|友情链接|站点地图|网站地图|浏览量|访问总数|人次|次|[大中小]",
    re.I)
_ONLY_PUNCT = re.compile(r"[\s\W_]*")
_NAV_SEPARATOR = re.compile(r"\s*[|｜]\s*")
_MAX_NAV_ITEM = 10


def is_furniture(line: str) -> bool:
    """True if a (whitespace-normalised) line is page furniture rather than report text."""
    if not line or len(line) > MAX_FURNITURE_LEN:
        return False
    if _FURNITURE.fullmatch(line):
        return True
    if _ONLY_PUNCT.fullmatch(_TOOLBAR.sub("", line)):
        return True
    items = [s for s in _NAV_SEPARATOR.split(line) if s]
    return len(items) >= 2 and all(len(s) <= _MAX_NAV_ITEM for s in items) and any(_TOOLBAR.search(s) for s in items)
