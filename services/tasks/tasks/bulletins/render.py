"""A bulletin as printable HTML (A4, 仿宋 body, the red rule under the masthead) and as .docx."""

from __future__ import annotations

import io
from html import escape
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tasks.bulletins.models import Bulletin

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
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
    return escape(str(value))


def to_html(bulletin: Bulletin) -> str:
    """The printable page (one self-contained document, no scripts)."""
    content = bulletin.content
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(bulletin.title)}</title><style>{_CSS}</style></head><body>",
        '<p class="masthead">楼宇经济工作简报</p>',
        f'<p class="issue">{bulletin.year}年第{bulletin.issue_no}期</p>',
        f'<div class="meta"><span>{escape(content["issuer"])}</span><span>{escape(content["issued_on"])}</span></div>',
        f"<h1>{escape(bulletin.title)}</h1>",
    ]
    for section in content["sections"]:
        parts.append(f"<h2>{escape(section['heading'])}</h2>")
        parts.extend(f"<p>{escape(text)}</p>" for text in section["paragraphs"])
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


def _east_asian(run: Any, font: str) -> None:
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(doc: Any, text: str, *, font: str = "仿宋", size: float = 16, bold: bool = False, **kw: Any) -> Any:
    p = doc.add_paragraph()
    if kw.get("center"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if kw.get("indent"):
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.space_after = Pt(kw.get("after", 0))
    run = p.add_run(text)
    _east_asian(run, font)
    run.font.size = Pt(size)
    run.bold = bold
    if kw.get("color"):
        run.font.color.rgb = RGBColor.from_string(kw["color"])
    return p


def _red_rule(paragraph: Any) -> None:
    """The red line under the masthead (a bottom border on the paragraph)."""
    pPr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    pPr.append(borders)


def to_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a Word document (A4, the usual government-document fonts)."""
    content = bulletin.content
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = bulletin.title
    doc.core_properties.author = content["issuer"]

    _paragraph(doc, "楼宇经济工作简报", font="宋体", size=30, bold=True, center=True, color=RED)
    _paragraph(doc, f"{bulletin.year}年第{bulletin.issue_no}期", size=16, center=True, after=6)
    meta = _paragraph(doc, f"{content['issuer']}　　　　{content['issued_on']}", size=14, center=True, after=12)
    _red_rule(meta)
    _paragraph(doc, bulletin.title, font="黑体", size=20, center=True, after=12)
    for part in content["sections"]:
        _paragraph(doc, part["heading"], font="黑体", size=16, after=3)
        for text in part["paragraphs"]:
            _paragraph(doc, text, indent=True, after=3)
        table = part.get("table")
        if table:
            grid = doc.add_table(rows=1, cols=len(table["columns"]))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, title in zip(grid.rows[0].cells, table["columns"], strict=True):
                cell.text = ""
                run = cell.paragraphs[0].add_run(str(title))
                _east_asian(run, "黑体")
                run.font.size = Pt(11)
            for row in table["rows"]:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(str(value))
                    _east_asian(run, "仿宋")
                    run.font.size = Pt(11)
    _paragraph(doc, "报：区委、区政府领导，区人大常委会相关工作委员会，区委督查室、区政府督查室", size=14)
    _paragraph(doc, "送：楼宇经济工作领导小组各成员单位，各街道办事处", size=14)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
