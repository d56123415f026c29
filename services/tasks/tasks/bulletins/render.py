"""A bulletin as printable HTML (A4, 仿宋 body, the red rule under the masthead) and as .docx."""

from __future__ import annotations

from html import escape
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from louyu_kit import files
from tasks.bulletins.models import Bulletin

DOCX_TYPE = files.DOCX_MEDIA_TYPE
RED = "C00000"

_CSS = """
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
body { font-family: "FangSong", "仿宋", "STFangsong", serif; font-size: 16pt; line-height: 1.75; color: #000;
       max-width: 16cm; margin: 2em auto; }
.masthead { text-align: center; color: #c00000; font-family: "SimSun", "宋体", serif; font-size: 30pt;
            letter-spacing: .2em; margin: 0; }
.issue { text-align: center; margin: .4em 0 0; }
.meta { display: flex; justify-content: space-between; border-bottom: 2px solid #c00000; padding-bottom: .3em; }
h1 { text-align: center; font-family: "SimHei", "黑体", sans-serif; font-size: 20pt; margin: 1em 0 .6em; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; margin: 1em 0 .3em; }
p { text-indent: 2em; margin: 0 0 .3em; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; margin: .4em 0 .8em; }
th, td { border: 1px solid #000; padding: 2px 6px; text-align: center; }
.footer { border-top: 1px solid #000; margin-top: 2em; font-size: 14pt; }
.footer p { text-indent: 0; }
@media print { body { margin: 0; max-width: none; } }
"""


def _cell(value: Any) -> str:
    return escape(files.chinese_dates_in(str(value)))


def to_html(bulletin: Bulletin) -> str:
    """The printable page (one self-contained document, no scripts)."""
    content = bulletin.content
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(bulletin.title)}</title><style>{_CSS}</style></head><body>",
        '<p class="masthead">楼宇经济工作简报</p>',
        f'<p class="issue">{bulletin.year}年第{bulletin.issue_no}期</p>',
        f'<div class="meta"><span>{escape(content["issuer"])}</span><span>{escape(issued_on(bulletin))}</span></div>',
        f"<h1>{escape(bulletin.title)}</h1>",
    ]
    for section in content["sections"]:
        parts.append(f"<h2>{escape(section['heading'])}</h2>")
        parts.extend(f"<p>{escape(files.chinese_dates_in(text))}</p>" for text in section["paragraphs"])
        table = section.get("table")
        if table:
            parts.append("<table><thead><tr>")
            parts.extend(f"<th>{_cell(c)}</th>" for c in table["columns"])
            parts.append("</tr></thead><tbody>")
            for row in table["rows"]:
                parts.append("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>")
            parts.append("</tbody></table>")
    parts.append(
        '<div class="footer"><p>报：区委、区政府领导，区人大常委会相关工作委员会，区委督查室、区政府督查室</p>'
        "<p>送：楼宇经济工作领导小组各成员单位，各街道办事处</p></div>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def _red_rule(paragraph: Any) -> None:
    """The red line under the masthead (a bottom border on the paragraph)."""
    pPr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    pPr.append(borders)


def issued_on(bulletin: Bulletin) -> str:
    """The issue date as a 公文 writes it: 2026年12月7日."""
    return files.chinese_dates_in(bulletin.content["issued_on"])


def to_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a Word document, a 公文: A4, 仿宋/黑体, page numbers "— 1 —", headings kept
    with their text, table headers repeated, properties naming the bulletin, the issuer and the
    issue time (louyu_kit.files' 公文 helpers)."""
    content = bulletin.content
    doc = files.gongwen_document(title=bulletin.title, author=content["issuer"], created=bulletin.created_at)

    files.gongwen_paragraph(doc, "楼宇经济工作简报", font="宋体", size=30, bold=True, center=True, color=RED)
    files.gongwen_paragraph(doc, f"{bulletin.year}年第{bulletin.issue_no}期", center=True, after=6)
    meta = files.gongwen_paragraph(doc, f"{content['issuer']}　　　　{issued_on(bulletin)}", size=14, center=True)
    meta.paragraph_format.space_after = Pt(12)
    _red_rule(meta)
    title = files.gongwen_paragraph(doc, bulletin.title, font=files.HEADING_FONT, size=20, center=True, after=12)
    files.docx_keep_with_next(title)
    for part in content["sections"]:
        files.gongwen_heading(doc, part["heading"])
        for text in part["paragraphs"]:
            files.gongwen_paragraph(doc, text, indent=True, after=3)
        table = part.get("table")
        if table:
            files.gongwen_table(doc, table["columns"], table["rows"])
    files.gongwen_paragraph(doc, "报：区委、区政府领导，区人大常委会相关工作委员会，区委督查室、区政府督查室", size=14)
    files.gongwen_paragraph(doc, "送：楼宇经济工作领导小组各成员单位，各街道办事处", size=14)
    return files.docx_bytes(doc)
