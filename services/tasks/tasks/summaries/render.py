"""The 办理情况报告 as printable HTML (A4, print CSS) and as a .docx in 公文 format: optional 红头,
仿宋 body, 黑体 headings, page numbers "— n —" in the footer. Built with louyu_kit.files' 公文
helpers, as the bulletin is."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from louyu_kit import files
from louyu_kit.db import utcnow
from tasks.bulletins.render import DOCX_TYPE, RED, _red_rule

__all__ = ["DOCX_TYPE", "to_docx", "to_html"]

_CSS = """
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
body { font-family: "FangSong", "仿宋", "STFangsong", serif; font-size: 16pt; line-height: 1.75; color: #000;
       max-width: 16cm; margin: 2em auto; }
.toolbar { background: #f2f6fc; border: 1px solid #c6d4e8; padding: .5em 1em; font-family: sans-serif;
           font-size: 11pt; margin-bottom: 1.5em; }
.masthead { text-indent: 0; text-align: center; color: #c00000; font-family: "SimSun", "宋体", serif; font-size: 26pt;
            letter-spacing: .1em; margin: 0; border-bottom: 2px solid #c00000; padding-bottom: .3em; }
.draft { text-indent: 0; text-align: center; color: #c00000; font-family: "SimHei", "黑体", sans-serif; font-size: 18pt;
         letter-spacing: .5em; border: 2px solid #c00000; width: 5em; margin: .5em auto; }
.version { text-align: center; text-indent: 0; }
h1 { text-align: center; font-family: "SimHei", "黑体", sans-serif; font-size: 20pt; margin: 1em 0 .6em; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; margin: 1em 0 .3em; break-after: avoid; }
h3 { font-family: "KaiTi", "楷体", serif; font-size: 16pt; margin: .6em 0 .2em; break-after: avoid; }
p { text-indent: 2em; margin: 0 0 .3em; }
table { border-collapse: collapse; width: 100%; font-size: 11pt; margin: .4em 0 .8em; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2px 6px; text-align: left; vertical-align: top; }
th { font-family: "SimHei", "黑体", sans-serif; text-align: center; }
.signature { text-align: right; text-indent: 0; margin-top: 2em; }
.annex { break-before: page; }
@media print {
  body { margin: 0; max-width: none; }
  .screen-only { display: none !important; }
}
"""


def _table(columns: list[str], rows: list[list[Any]], cls: str) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


GOAL_COLUMNS = ["指标", "目标原文", "目标", "基线值", "当前值", "完成比例", "是否达成"]


def goal_rows(content: dict[str, Any]) -> list[list[str]]:
    return [
        [
            g["metric_name"],
            g["text"],
            g["target"],
            g["baseline"],
            g["current"],
            g["progress"],
            "是" if g["achieved"] else "否",
        ]
        for g in content["goals"]
    ]


def _sections(content: dict[str, Any]) -> list[tuple[str, list[str], list[tuple[list[str], list[list[str]]]]]]:
    """(heading, paragraphs, tables) of the body, shared by the HTML and the .docx."""
    goals_paragraphs = [
        f"{g['metric_name']}：{g['text']}。当前值 {g['current']}，完成 {g['progress']}。计算方法：{g['computation']}"
        for g in content["goals"]
    ]
    if not content["goals_available"]:
        goals_paragraphs = ["数据暂不可用：指标分析服务暂时无法提供目标完成情况，待恢复后补充。"]
    tasks = [
        f"{t['number']}. {t['title']}（{t['units']}）：{t['status_name']}，进度 {t['progress']}%。{t['outcome']}"
        for t in content["tasks"]
    ]
    units = [f"{s['unit_name']}（{s['status_name']}）：{s['text']}" for s in content["summaries"]]
    inspections: list[str] = []
    for i in content["inspections"]:
        inspections.append(
            f"{i['held_on']}，{i['deputies']}{i['kind_name']}“{i['title']}”，地点：{i['places']}。"
            f"提出整改意见 {len(i['opinions'])} 条。"
        )
        inspections.extend(
            f"意见{o['number']}：{o['text']}（承办：{o['units']}；期限 {o['deadline']}；{o['status_name']}）。"
            f"{o['answers']}"
            for o in i["opinions"]
        )
    inspections.append(content["opinion_counts"])
    return [
        ("一、议案办理总体情况", content["motion"], []),
        ("二、目标完成情况", goals_paragraphs, [(GOAL_COLUMNS, goal_rows(content))] if content["goals"] else []),
        ("三、各项任务办理情况", tasks, []),
        ("四、各责任单位工作总结", units, []),
        ("五、人大代表视察、座谈及整改意见办理情况", inspections, []),
    ]


def to_html(content: dict[str, Any], *, red_head: bool = False) -> str:
    """One self-contained printable page (no scripts); the toolbar is for the screen only."""
    title = content["title"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        '<div class="toolbar screen-only" data-chrome="toolbar">打印预览：请用浏览器的“打印”（Ctrl+P），'
        "选择 A4 纸张；本提示不会打印。</div>",
    ]
    if red_head:
        parts.append(f'<p class="masthead">{escape(content["issuer"])}</p>')
    if content["draft"]:
        parts.append('<p class="draft" data-section="draft">草稿</p>')
    else:
        parts.append(f'<p class="version">（第{content["version_no"]}版）</p>')
    parts.append(f"<h1>{escape(title)}</h1>")
    for number, (heading, paragraphs, tables) in enumerate(_sections(content), start=1):
        parts.append(f'<section data-section="{number}"><h2>{escape(heading)}</h2>')
        parts.extend(f"<p>{escape(text)}</p>" for text in paragraphs)
        parts.extend(_table(cols, rows, "goals") for cols, rows in tables)
        parts.append("</section>")
    parts.append(
        f'<p class="signature">{escape(content["issuer"])}<br>{escape(content["compiled_on"])}</p>'
        '<section class="annex" data-section="annex"><h2>附件：任务办理情况一览表</h2>'
        + _table(content["annex_columns"], content["annex_rows"], "annex-table")
        + "</section></body></html>"
    )
    return "\n".join(parts)


def to_docx(content: dict[str, Any], *, red_head: bool = False, created: datetime | None = None) -> bytes:
    """The report as a Word document in 公文 format (louyu_kit.files' 公文 helpers: A4, 仿宋/黑体,
    page numbers "— 1 —", headings kept with their text, table headers repeated)."""
    doc = files.gongwen_document(title=content["title"], author=content["issuer"], created=created or utcnow())
    if red_head:
        head = files.gongwen_paragraph(
            doc, content["issuer"], font="宋体", size=26, bold=True, center=True, color=RED, after=12
        )
        _red_rule(head)
    if content["draft"]:
        files.gongwen_paragraph(doc, "草稿", font=files.HEADING_FONT, size=18, center=True, color=RED, after=6)
    else:
        files.gongwen_paragraph(doc, f"（第{content['version_no']}版）", size=16, center=True, after=6)
    title = files.gongwen_paragraph(doc, content["title"], font=files.HEADING_FONT, size=20, center=True, after=12)
    files.docx_keep_with_next(title)
    for heading, paragraphs, tables in _sections(content):
        files.gongwen_heading(doc, heading)
        for text in paragraphs:
            files.gongwen_paragraph(doc, text, indent=True, after=3)
        for columns, rows in tables:
            files.gongwen_table(doc, columns, rows, size=10.5)
    sign = files.gongwen_paragraph(doc, content["issuer"])
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    day = files.gongwen_paragraph(doc, content["compiled_on"])
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_page_break()
    files.gongwen_heading(doc, "附件：任务办理情况一览表", after=6)
    files.gongwen_table(doc, content["annex_columns"], content["annex_rows"], size=10.5)
    return files.docx_bytes(doc)
