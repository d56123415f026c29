"""The bulletin .docx as a 公文 (issue #23 item 3), read back with python-docx: page numbers in
the footer, the table header repeated, headings kept with their text, Chinese dates only, the
document's own properties. The PDF page checks are in tests/office (LibreOffice)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from docx import Document
from docx.oxml.ns import qn

from tasks.bulletins import render
from tasks.bulletins.models import Bulletin
from tasks.bulletins.service import data_month

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def long_bulletin(sections: int = 6, rows: int = 60) -> Bulletin:
    """A third-quarter bulletin long enough to run over several pages."""
    parts = []
    for n in range(sections):
        parts.append(
            {
                "heading": f"{'一二三四五六七八九十'[n % 10]}、第{n + 1}部分",
                "paragraphs": [
                    f"截至2025-09-30，第{n + 1}部分的工作按计划推进。" + "各单位认真落实部署，推进有力。" * (3 + n * 5)
                ],
                "table": {
                    "columns": ["责任单位", "任务数", "已完成"],
                    "rows": [[f"单位{i}", i, i // 2] for i in range(rows if n == 1 else 3)],
                }
                if n in (1, 3)
                else None,
            }
        )
    return Bulletin(
        id=7,
        year=2025,
        issue_no=3,
        period="2025-Q3",
        start_date=date(2025, 7, 1),
        end_date=date(2025, 9, 30),
        title="楼宇经济工作简报（2025年第三季度）",
        content={"issuer": "区商务局", "issued_on": "2026-12-07", "sections": parts, "data": {}},
        created_at=datetime(2026, 12, 7, 2, 30, tzinfo=UTC),
    )


def _document(bulletin: Bulletin):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(render.to_docx(bulletin)))


def _all_text(doc) -> str:  # type: ignore[no-untyped-def]
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(texts)


class TestGongwen:
    def test_the_footer_carries_a_page_field_between_dashes(self) -> None:
        doc = _document(long_bulletin())
        footer = doc.sections[0].footer
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text or "" for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")

    def test_table_headers_repeat_and_rows_do_not_split(self) -> None:
        doc = _document(long_bulletin())
        assert doc.tables
        for table in doc.tables:
            first = table.rows[0]._tr.trPr
            assert first is not None and first.find(qn("w:tblHeader")) is not None
            assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
            assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None

    def test_headings_are_kept_with_the_next_paragraph(self) -> None:
        doc = _document(long_bulletin())
        headings = [p for p in doc.paragraphs if re.match(r"^[一二三四五六七八九十]、", p.text)]
        assert len(headings) == 6
        assert all(p.paragraph_format.keep_with_next for p in headings)

    def test_dates_are_chinese(self) -> None:
        text = _all_text(_document(long_bulletin()))
        assert not ISO_DATE.search(text), ISO_DATE.findall(text)
        assert "2026年12月7日" in text and "截至2025年9月30日" in text

    def test_properties_name_the_bulletin_its_issuer_and_issue_time(self) -> None:
        props = _document(long_bulletin()).core_properties
        assert props.title == "楼宇经济工作简报（2025年第三季度）"
        assert props.author == "区商务局" and props.last_modified_by == "区商务局"
        assert props.created == datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
        assert "python-docx" not in (props.comments or "") and props.created.year != 2013

    def test_fonts_are_fangsong_and_heiti(self) -> None:
        doc = _document(long_bulletin())
        heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
        body = next(p for p in doc.paragraphs if p.text.startswith("截至"))
        east_asian = qn("w:eastAsia")
        assert heading.runs[0]._element.rPr.rFonts.get(east_asian) == "黑体"
        assert body.runs[0]._element.rPr.rFonts.get(east_asian) == "仿宋"

    def test_the_data_month_never_passes_the_period(self) -> None:
        assert data_month("2025-12", "2025-09-30") == "2025年9月"
        assert data_month("2025-08", "2025-09-30") == "2025年8月"
