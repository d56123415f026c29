"""Reads the plain text of a work plan (工作方案) into its structure.

Not tuned to one document: headings are recognised by their numbering ("一、", "（一）" or
"(一)", "1." / "1、" / "1)", "（1）" / "①"), in full- or half-width punctuation, also when a
separator was lost; sections by what their heading says (主要任务, 责任分解, 工作步骤 …).
Responsible units are read from "（责任单位：…）", "牵头单位：…；配合单位：…", "【责任单位】…" and
similar, split on 、，；/ and resolved through the unit directory; names it does not know are
reported, never invented. Dates survive lost characters ("20253月" is March 2025). Everything
the parser could not understand, or repaired on the way, is a warning in the answer.

``parse(text, directory)`` is pure: no database, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tasks.plans.dates import Span, cn_number, find_span, parse_day, year_in
from tasks.plans.goals import GOAL_METRICS, GoalMetric
from tasks.plans.schemas import (
    GoalNode,
    ParsedPlan,
    ParseWarning,
    PhaseNode,
    PlanUnitNode,
    SectionNode,
    TaskNode,
    UnitAssignment,
)
from tasks.units.names import Directory, Resolution

# Full-width ASCII (！…～) and the ideographic space become half-width: one character for one,
# so positions in the translated line are positions in the original line.
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
CN_NUM = "一二三四五六七八九十"

_L1 = re.compile(rf"^(?:第)?([{CN_NUM}]{{1,3}})(?:部分|章)?\s*(?:[、.,]\s*|\s+)")
_L1_BARE = re.compile(rf"^([{CN_NUM}]{{1,3}})(?=[\u4e00-\u9fff])")
_L2 = re.compile(rf"^[(（]\s*([{CN_NUM}]{{1,3}})\s*[)）]\s*[、.,]?\s*")
_L3 = re.compile(r"^(\d{1,2})\s*(?:[.、,]|[)）](?=\S))\s*(?!\d)")
_L3_BARE = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])(?![年月日号个栋层家%])")
_L4 = re.compile(r"^(?:[(（]\s*(\d{1,2})\s*[)）]|([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))\s*")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

ROLE_WORDS: list[tuple[str, tuple[str, ...]]] = [  # fmt: skip
    (
        "tasks",
        ("主要任务", "重点任务", "工作任务", "具体任务", "任务措施", "工作措施", "重点工作", "主要措施", "任务分工"),
    ),
    ("duties", ("责任分解", "职责分工", "责任分工", "组织领导", "组织架构", "工作职责", "责任单位", "分工")),
    ("phases", ("工作步骤", "实施步骤", "进度安排", "时间安排", "工作安排", "实施阶段", "步骤安排", "推进计划")),
    ("goals", ("工作目标", "目标任务", "总体目标", "主要目标", "发展目标")),
    ("requirements", ("工作要求", "保障措施", "有关要求", "工作保障")),
]
SECTION_KEYWORDS = tuple(w for _, words in ROLE_WORDS for w in words) + ("指导思想", "基本原则", "总体要求")

UNIT_LABEL = (
    r"(?:责任单位|责任部门|牵头单位|牵头部门|主办单位|主责单位|配合单位|配合部门|协办单位|协办部门|"
    r"协助单位|参与单位|责任主体)"
)
# A label opens the units part when it follows a bracket ("（责任单位：", "【责任单位】") or is
# followed by a colon ("牵头单位：…"); "各相关责任单位定期走访" inside a sentence is not one.
_UNIT_SPEC = re.compile(
    r"(?:[(（【\[]\s*(" + UNIT_LABEL + r")\s*[】\]]?\s*[:：]?|(" + UNIT_LABEL + r")\s*[】\]]?\s*[:：])\s*"
)
_LEAD_LABELS = ("牵头单位", "牵头部门", "主办单位", "主责单位")
_CO_LABELS = ("配合单位", "配合部门", "协办单位", "协办部门", "协助单位", "参与单位")
_NAME_SPLIT = re.compile(r"[、,，;；/|]+|\s+|和(?=区|市|各)|及(?=区|市|各)")
_NAME_NOISE = re.compile(r"(?:等(?:有关|相关)?(?:部门|单位)?|按职责分工负责|按职责分工|分别牵头|负责)$")
_UNIT_SUFFIX = re.compile(r"(局|办|部|委|会|中心|集团|街道|办事处|分局|小分队|公司|院|所|室|组)$")
_DUTY_LINE = re.compile(r"^([^:：,，。;；()（）]{2,30})\s*[:：]\s*(.+)$")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,12}\s*[〔\[［(（【]\s*20\d\d\s*[〕\]］)）】]\s*\d{1,4}\s*号)")
_LABEL_NAMES = ("名称", "标题", "发布机构", "发文机关", "发文单位", "文号", "发文字号", "索引号", "公开日期",
                "发布日期", "成文日期", "印发日期", "主题分类", "公开方式", "有效性")  # fmt: skip
_LABELS = re.compile(r"(" + "|".join(r"\s*".join(name) for name in _LABEL_NAMES) + r")\s*[:：]\s*")
_TITLE_END = re.compile(r"(方案|计划|意见|要点|办法|安排|措施|通知|规划|细则)$")
_ISSUER_END = re.compile(r"(办公室|人民政府|委员会|管委会|局|政府|办|领导小组|办事处|街道)$")

# Task titles that lost the 。 before their text: split where a title-like ending meets a
# word that usually opens a sentence.
_TITLE_ENDINGS = ("行动", "楼宇", "机制", "体系", "保障", "工作", "活动", "平台", "政策", "建设", "服务", "中心",
                  "生态圈", "水平", "环境", "能力", "效能", "项目", "招商", "升级", "资源", "制度", "品牌",
                  "集群")  # fmt: skip
_BODY_STARTS = ("以", "围绕", "依托", "按照", "坚持", "街道", "实施", "通过", "结合", "聚焦", "立足", "推动", "加强",
                "各", "由", "对", "在", "充分", "统筹", "着力", "深化", "构建", "建立", "落实", "紧盯", "发挥", "定期",
                "支持", "鼓励", "积极", "全面", "进一步", "实现")  # fmt: skip

_COUNT = r"(\d+|[一二两三四五六七八九十]{1,3})\s*(栋|座|幢|个|家|处)"
_GOAL_PATTERNS = [(m, re.compile(m.pattern)) for m in GOAL_METRICS]
_COUNT_RE = re.compile(_COUNT)
_COUNT_AFTER = re.compile(r"\s*(?:达到|为|共|累计)?\s*" + _COUNT)
_GOAL_VERB = re.compile(r"(新增|新建|打造|培育|建成|新培育|新认定|增加|力争|达到|建设|累计|突破|增至)")
_CLAUSE = re.compile(r"[。;；,，!?！？]")
# How a count goal compares: an increase unless the words say it is a level to reach or keep.
_INCREASE_WORDS = re.compile(r"新增|新建|新培育|新认定|净增|增加(?!到|至)")
_AT_MOST_WORDS = re.compile(r"不超过|不高于|不多于|控制在|以内|以下")
_AT_LEAST_WORDS = re.compile(r"达到|累计|总数|总量|共计|增至|增加到|增加至|不少于|不低于|至少|以上|突破|超过|达")
# A rate after its name: 入驻率达到90% / 注册率不低于80% / 纳统率提高5个百分点.
_RATE_AFTER = re.compile(
    r"^\s*(?:(?:稳定|保持|提升|提高|达到|力争|争取)\s*)?"
    r"(达到|提升到|提升至|提高到|提高至|增至|保持在|稳定在|不低于|不少于|高于|超过|不高于|不超过|低于|控制在|为|达|提高|提升|增加|增长)?"
    r"\s*(\d+(?:\.\d+)?)\s*(%|个百分点)\s*(以上|以下|以内)?"
)
# A sentence that states a quantity to reach: a number with a measure word and a goal verb.
_GOALISH_NUMBER = re.compile(
    r"(?<![\d年月])(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(栋|座|幢|个|家|%|亿元|万元|万平方米|平方米|项|处)"
)
_GOALISH_VERB = re.compile(
    r"达到|新增|新建|不低于|不少于|不高于|不超过|提升到|提升至|提高到|提高至|提高|提升|增长|突破|超过|力争|培育|"
    r"打造|引进|招引|建成|累计|增至|控制在"
)


@dataclass
class Line:
    no: int
    raw: str
    norm: str


@dataclass
class Node:
    level: int
    number: str
    title: str
    line: int
    body: list[Line] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    role: str = "other"
    rest: str = ""  # text on the heading line after the title
    sep: str = ""  # the punctuation between title and rest ("。" or "：")

    def text(self) -> str:
        parts = [self.title + self.sep + self.rest]
        parts += [b.raw for b in self.body]
        return "".join(p for p in parts if p)

    def all_text(self) -> str:
        return self.text() + "".join(c.all_text() for c in self.children)


@dataclass
class Context:
    directory: Directory
    warnings: list[ParseWarning] = field(default_factory=list)
    year: int | None = None
    lead_code: str | None = None

    def warn(self, code: str, message: str, *, line: int | None = None, where: str | None = None) -> None:
        self.warnings.append(ParseWarning(level="warning", code=code, message=message, line=line, where=where))

    def info(self, code: str, message: str, *, line: int | None = None, where: str | None = None) -> None:
        self.warnings.append(ParseWarning(level="info", code=code, message=message, line=line, where=where))


def _lines(text: str) -> list[Line]:
    out = []
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            out.append(Line(no=no, raw=stripped, norm=stripped.translate(_HALF)))
    return out


def _heading(line: Line) -> tuple[int, str, str, str, str] | None:
    """(level, number, title, separator, rest) when the line opens with a heading number."""
    s = line.norm
    for level, pattern in ((2, _L2), (4, _L4), (1, _L1), (3, _L3)):
        m = pattern.match(s)
        if m:
            if level == 1 and not _plausible_l1(s[m.end() :]):
                continue
            number = next(g for g in m.groups() if g)
            return level, number, *_split_title(line.raw[m.end() :].strip())
    m = _L1_BARE.match(s)
    if m and _plausible_l1(s[m.end() :]) and any(k in s[:16] for k in SECTION_KEYWORDS):
        return 1, m.group(1), *_split_title(line.raw[m.end() :].strip())
    m = _L3_BARE.match(s)
    if m:
        return 3, m.group(1), *_split_title(line.raw[m.end() :].strip())
    return None


def _plausible_l1(rest: str) -> bool:
    # "一号议案由…" is a sentence, not heading 一; a heading's text is not a measure word.
    return bool(rest) and not rest.startswith(("号", "是", "批", "栋", "个", "年", "月", "项", "次", "流", "体", "楼"))


def _split_title(text: str) -> tuple[str, str, str]:
    """Heading text → (title, separator, rest of the line). The title ends at the first 。 (or ：)."""
    for sep in ("。", "：", ":"):
        pos = text.find(sep)
        if 0 < pos <= 60:
            return text[:pos].strip(), sep, text[pos + 1 :].strip()
    return text.strip(), "", ""


def _tree(lines: list[Line]) -> tuple[list[Line], list[Node]]:
    """The preamble (lines before the first top heading) and the heading tree."""
    preamble: list[Line] = []
    roots: list[Node] = []
    stack: list[Node] = []
    for line in lines:
        head = _heading(line)
        if head is not None and not stack and head[0] != 1:
            head = None  # numbered lines of the covering notice are not the plan's outline
        if head is None:
            (stack[-1].body if stack else preamble).append(line)
            continue
        level, number, title, sep, rest = head
        node = Node(level=level, number=number, title=title, line=line.no, rest=rest, sep=sep)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return preamble, roots


def _role(title: str) -> str:
    for role, words in ROLE_WORDS:
        if any(w in title for w in words):
            return role
    return "other"


def _number_label(node: Node) -> str:
    return {1: f"{node.number}、", 2: f"（{node.number}）", 3: f"{node.number}.", 4: f"（{node.number}）"}[node.level]


def _check_sequence(nodes: list[Node], ctx: Context, where: str) -> None:
    expected = 1
    for node in nodes:
        value = cn_number(node.number) if not node.number.isdigit() else int(node.number)
        if node.number in _CIRCLED:
            value = _CIRCLED.index(node.number) + 1
        if value is not None and value != expected:
            ctx.info(
                "numbering",
                f"{where}序号不连续：应为 {expected}，原文为“{_number_label(node)}”",
                line=node.line,
            )
        expected = (value or expected) + 1


# ----- metadata ----------------------------------------------------------------------------


def _labels(preamble: list[Line]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for line in preamble[:30]:
        matches = list(_LABELS.finditer(line.raw))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line.raw)
            name = re.sub(r"\s+", "", m.group(1))
            found.setdefault(name, (line.raw[m.end() : end].strip(), line.no))
    return found


def _inner_title(text: str) -> str | None:
    m = re.search(r"印发\s*[《<]([^》>]+)[》>]", text)
    return re.sub(r"\s+", "", m.group(1)) if m else None


def _metadata(preamble: list[Line], lines: list[Line], roots: list[Node], ctx: Context) -> dict:
    labels = _labels(preamble)
    title = None
    for key in ("名称", "标题"):
        if key in labels:
            title = _inner_title(labels[key][0]) or labels[key][0]
            break
    if title is None:
        for line in preamble:
            inner = _inner_title(line.raw)
            if inner:
                title = inner
                break
    if title is None:
        title = _title_from_lines(preamble)
    if title is None and lines:
        first = lines[0].raw
        title = first[:60]
        ctx.warn("no_title", f"未找到方案标题，暂以首行“{title}”作为标题，请更正", line=lines[0].no)
    if not title:
        title = "（无标题）"
        ctx.warn("no_title", "未找到方案标题，请填写")

    doc_number = ""
    for key in ("文号", "发文字号"):
        if key in labels:
            m = _DOC_NUMBER.search(labels[key][0])
            doc_number = re.sub(r"\s+", "", m.group(1)) if m else labels[key][0]
            break
    if not doc_number:
        for line in preamble[:40] or lines[:15]:
            m = _DOC_NUMBER.search(line.norm)
            if m:
                doc_number = re.sub(r"\s+", "", line.raw[m.start() : m.end()])
                break

    issued, issuer = _signature(preamble, ctx)
    for key in ("成文日期", "印发日期", "公开日期", "发布日期"):
        if issued is None and key in labels:
            issued, note = parse_day(labels[key][0])
            if note:
                ctx.info("date_repaired", note, line=labels[key][1])
    for key in ("发布机构", "发文机关", "发文单位"):
        if key in labels and labels[key][0]:
            issuer = labels[key][0]
            break
    if not issuer:
        for line in preamble:
            m = re.match(r"^(\S{2,30}?)关于印发", line.norm)
            if m:
                issuer = line.raw[: m.end(1)]
                break
    if issued is None:
        ctx.info("no_date", "未找到成文日期")
    ctx.year = (issued.year if issued else None) or year_in(doc_number) or _first_year(lines)
    return {"title": title, "doc_number": doc_number, "issued_date": issued, "issuer": issuer}


def _title_from_lines(preamble: list[Line]) -> str | None:
    for i, line in enumerate(preamble):
        text = re.sub(r"\s+", "", line.raw)
        if len(text) <= 60 and _TITLE_END.search(text) and not re.search(r"[。:：]", text):
            if text.endswith("通知") and i + 1 < len(preamble):
                continue
            if i > 0:
                prev = re.sub(r"\s+", "", preamble[i - 1].raw)
                if len(prev) <= 30 and not re.search(r"[。,，:：;；]", prev) and not _ISSUER_END.search(prev):
                    return prev + text
            return text
    return None


def _signature(preamble: list[Line], ctx: Context) -> tuple[date | None, str]:
    """The date line under the covering notice (and the issuer on the line above it)."""
    for i, line in enumerate(preamble):
        compact = re.sub(r"\s+", "", line.norm)
        if len(compact) > 16 or not re.fullmatch(r"[0-9年月日〇零一二三四五六七八九十.\-/]+", compact):
            continue
        day, note = parse_day(compact)
        if note:
            (ctx.info if day else ctx.warn)("date_repaired" if day else "date_unclear", note, line=line.no)
        if day is None:
            continue
        issuer = ""
        if i > 0 and _ISSUER_END.search(preamble[i - 1].raw) and len(preamble[i - 1].raw) <= 40:
            issuer = preamble[i - 1].raw
        return day, issuer
    return None, ""


def _first_year(lines: list[Line]) -> int | None:
    for line in lines[:80]:
        year = year_in(line.norm)
        if year:
            return year
    return None


# ----- units -------------------------------------------------------------------------------


def _split_names(text: str) -> list[str]:
    names = []
    for piece in _NAME_SPLIT.split(text):
        piece = _NAME_NOISE.sub("", piece.strip(" 。.)）】]"))
        if piece:
            names.append(piece)
    return names


def _segment(name: str, ctx: Context) -> list[Resolution] | None:
    """Names written together without a separator (区商务局区发改局): the unique cover by known names."""
    n = len(name)
    if n > 120:
        return None
    best: list[list[Resolution] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(2, n + 1):
        for start in range(max(0, end - 20), end - 1):
            if best[start] is None or ctx.directory.exact(name[start:end]) is None:
                continue
            best[end] = [*best[start], ctx.directory.resolve(name[start:end])]  # type: ignore[misc]
            break
    return best[n] if best[n] and len(best[n]) > 1 else None  # type: ignore[arg-type]


def resolve_names(text: str, ctx: Context, *, where: str, line: int | None) -> list[tuple[str, Resolution]]:
    """Every unit written in ``text`` (a list), resolved; unknown names become warnings."""
    out: list[tuple[str, Resolution]] = []
    for written in _split_names(text):
        r = ctx.directory.resolve(written)
        if not r.units:
            parts = _segment(written, ctx)
            if parts:
                ctx.info("units_joined", f"“{written}”按已知单位拆分为 {len(parts)} 个单位", line=line, where=where)
                out.extend((p.written, p) for p in parts)
                continue
        if r.warning:
            level = ctx.info if r.matched_by == "near" else ctx.warn
            level("unknown_unit" if not r.units else "near_unit", r.warning, line=line, where=where)
        out.append((written, r))
    return out


def _unit_spec(text: str) -> tuple[str, str] | None:
    """(text before the units, the units part) when ``text`` names its responsible units."""
    m = _UNIT_SPEC.search(text.translate(_HALF))
    if m is None:
        return None
    return text[: m.start()].rstrip(" ，,;；"), text[m.start() :]


def _assignments(spec: str, ctx: Context, *, where: str, line: int | None) -> list[UnitAssignment]:
    """Units of one task from its spec, lead first as written by 牵头单位 or by the plan's lead unit."""
    # Built with model_construct: the parser's own values need no validation (hundreds per plan).
    norm = spec.translate(_HALF)
    marks = list(_UNIT_SPEC.finditer(norm))
    explicit_lead = False
    out: list[UnitAssignment] = []
    seen: set[str] = set()
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(spec)
        label = m.group(1) or m.group(2)
        part = spec[m.end() : end]
        part = re.split(r"[)）】\]]\s*[。.]?\s*$", part)[0] if i + 1 == len(marks) else part
        role = "lead" if label in _LEAD_LABELS else "co"
        explicit_lead = explicit_lead or role == "lead"
        for written, r in resolve_names(part, ctx, where=where, line=line):
            if not r.units:
                out.append(
                    UnitAssignment.model_construct(
                        written=written, code=None, name=None, role=role, matched_by="unknown"
                    )
                )
            for unit in r.units:
                if unit.code in seen:
                    continue
                seen.add(unit.code)
                out.append(
                    UnitAssignment.model_construct(
                        written=written, code=unit.code, name=unit.name, role=role, matched_by=r.matched_by
                    )
                )
    if not explicit_lead:
        known = [a for a in out if a.code]
        lead = next((a for a in known if a.code == ctx.lead_code), known[0] if known else None)
        if lead is not None:
            lead.role = "lead"
    return out


# ----- sections ----------------------------------------------------------------------------


def _sections(roots: list[Node], prefix: str = "s") -> list[SectionNode]:
    out = []
    for i, node in enumerate(roots, start=1):
        key = f"{prefix}{i}" if prefix == "s" else f"{prefix}.{i}"
        out.append(
            SectionNode(
                key=key,
                number=_number_label(node),
                title=node.title,
                role=node.role,  # type: ignore[arg-type]
                body=(node.rest + "".join(b.raw for b in node.body)).strip(),
                line=node.line,
                children=_sections(node.children, key),
            )
        )
    return out


def _classify(roots: list[Node]) -> None:
    for node in roots:
        node.role = _role(node.title)
        for child in node.children:
            child.role = node.role if node.role in ("tasks", "duties", "phases") else _role(child.title)


# ----- duties ------------------------------------------------------------------------------


def _duties(roots: list[Node], ctx: Context) -> list[PlanUnitNode]:
    sections = [n for n in roots if n.role == "duties"]
    out: list[PlanUnitNode] = []
    seen: set[str] = set()

    def add(written: str, role: str, duty: str, line: int) -> None:
        for _, r in resolve_names(written, ctx, where="责任分解", line=line):
            for unit in r.units:
                if unit.code in seen:
                    continue
                seen.add(unit.code)
                out.append(PlanUnitNode(written=r.written, code=unit.code, name=unit.name, role=role, duty=duty))  # type: ignore[arg-type]
            if not r.units:
                out.append(PlanUnitNode(written=r.written, code=None, role=role, duty=duty))  # type: ignore[arg-type]

    def read(lines: list[Line], role: str | None) -> None:
        for line in lines:
            m = _DUTY_LINE.match(line.norm)
            if not m:
                continue
            label = m.group(1).strip()
            value = line.raw[line.norm.index(m.group(2), m.start(2)) :].strip()
            if label in _LEAD_LABELS or label in _CO_LABELS or label in ("成员单位",):
                add(value, "lead" if label in _LEAD_LABELS else "co", "", line.no)
                continue
            if ctx.directory.resolve(label).units or _UNIT_SUFFIX.search(label):
                # Outside a 主办 / 协办 heading a unit with a written duty is a co-organiser.
                add(label, role or "co", value, line.no)

    for section in sections:
        read(section.body, None)
        for child in section.children:
            role = (
                "lead"
                if any(w in child.title for w in ("主办", "牵头", "主责"))
                else "co"
                if any(w in child.title for w in ("协办", "配合", "成员", "协助", "参与"))
                else None
            )
            lines = child.body
            if child.rest:
                lines = [Line(no=child.line, raw=child.rest, norm=child.rest.translate(_HALF)), *lines]
            read(lines, role)
            for grandchild in child.children:
                text = grandchild.title + (":" + grandchild.rest if grandchild.rest else "")
                read([Line(no=grandchild.line, raw=text, norm=text.translate(_HALF))], role)
    return out


def _lead_unit(units: list[PlanUnitNode], roots: list[Node], ctx: Context) -> PlanUnitNode | None:
    lead = next((u for u in units if u.role == "lead" and u.code), None)
    if lead is not None:
        return lead
    for node in roots:
        for line in [Line(node.line, node.title, node.title.translate(_HALF)), *node.body]:
            m = re.search(r"(?:主办单位|牵头单位)\s*(?:为|是|[:：])\s*([^,，。;；]{2,30})", line.norm)
            if m:
                r = ctx.directory.resolve(m.group(1))
                if len(r.units) == 1:
                    return PlanUnitNode(written=m.group(1), code=r.units[0].code, name=r.units[0].name, role="lead")
    ctx.warn("no_lead_unit", "未找到主办单位（牵头单位），请在更正中指定")
    return None


# ----- phases ------------------------------------------------------------------------------


def _phases(roots: list[Node], ctx: Context) -> list[PhaseNode]:
    section = next((n for n in roots if n.role == "phases"), None)
    if section is None:
        ctx.warn("no_phases", "未找到工作步骤（阶段及时间安排）")
        return []
    items = section.children or []
    out: list[PhaseNode] = []
    year = ctx.year
    for i, node in enumerate(items, start=1):
        span = find_span(node.title, default_year=year) or find_span(node.rest, default_year=year)
        if span is None and node.body:
            span = find_span(node.body[0].norm, default_year=year)
        name, leftover = node.title, ""
        if span is not None:
            at = name.find(span.text)
            if at >= 0:
                before, after = name[:at], name[at + len(span.text) :]
                leftover = re.sub(r"^[)）\]】\s:：,，。]+", "", after).strip()
                name = before if re.sub(r"[\W_]", "", before) else leftover
                if name is leftover:
                    leftover = ""
            if span.note:
                ctx.info("date_repaired", span.note, line=node.line, where=f"工作步骤{_number_label(node)}")
            year = span.end.year if span.end else year
        else:
            ctx.warn("phase_without_dates", f"阶段“{node.title}”没有写明时间", line=node.line)
        name = re.sub(r"[()（）\[\]【】:：,，。\s]+$", "", re.sub(r"[(（]\s*[)）]", "", name)).strip() or f"第{i}阶段"
        steps = [c.all_text() for c in node.children]
        if leftover and len(leftover) >= 2:
            steps.insert(0, leftover)
        if not steps:
            text = (node.rest + "".join(b.raw for b in node.body)).strip()
            if span is not None and text.startswith(span.text):
                text = text[len(span.text) :].lstrip("）)：:，, ")
            if text:
                steps = [text]
        out.append(
            PhaseNode(
                key=f"p{i}",
                name=name[:100],
                start_date=span.start if span else None,
                end_date=span.end if span else None,
                period_text=span.text if span else "",
                steps=steps,
            )
        )
    if not out:
        ctx.warn("no_phases", f"“{section.title}”下没有分阶段的安排", line=section.line)
    return out


def _main_phase(phases: list[PhaseNode]) -> PhaseNode | None:
    dated = [p for p in phases if p.end_date]
    if not dated:
        return None
    for word in ("推进", "实施", "落实", "攻坚", "推动", "执行"):
        for phase in dated:
            if word in phase.name:
                return phase
    return max(dated, key=lambda p: ((p.end_date - p.start_date).days if p.start_date else 0, p.end_date))  # type: ignore[operator]


# ----- tasks -------------------------------------------------------------------------------

_DEADLINE = re.compile(
    r"(?:于|在|截至|力争|争取)?\s*(.{0,12}?月(?:份)?(?:\d{1,2}日|上旬|中旬|下旬|底|末)?)\s*(?:前|以前|之前|完成|到位)"
)


def _deadline(text: str, ctx: Context) -> Span | None:
    for m in _DEADLINE.finditer(text.translate(_HALF)):
        span = find_span(m.group(1), default_year=ctx.year)
        if span is not None:
            return span
    return None


def _title_body(text: str, ctx: Context, *, where: str, line: int) -> tuple[str, str]:
    """Split a task's first sentence into title and body, also when the 。 between them was lost."""
    norm = text.translate(_HALF)
    stop = min([p for p in (norm.find("。"), norm.find(",")) if p >= 0] or [len(norm)])
    first = text[:stop]
    if len(first) <= 30 and stop < len(norm) and norm[stop] == "。":
        return first.strip(), text[stop + 1 :].strip()
    for p in range(4, min(len(first), 30)):
        if first[:p].endswith(_TITLE_ENDINGS) and first[p:].startswith(_BODY_STARTS):
            ctx.info(
                "title_split",
                f"任务标题后缺少标点，按“{first[:p]}”作为标题，请核对",
                line=line,
                where=where,
            )
            return first[:p], text[p:].strip()
    if len(first) <= 30 and (stop == len(norm) or norm[stop] == "。"):
        return first.strip(), text[stop + 1 :].strip()
    if len(first) <= 40:
        if stop < len(norm) and norm[stop] != "。" and len(first) > 16:
            message = f"任务标题后缺少句号，按“{first.strip()}”作为标题，请核对"
            ctx.info("title_unclear", message, line=line, where=where)
        return first.strip(), text[stop + 1 :].strip()
    ctx.warn("title_unclear", "未能区分任务标题和正文，暂取前30字作为标题，请更正", line=line, where=where)
    return first[:30], text.strip()


def _task_node(
    node: Node, ctx: Context, *, key: str, kind: str, where: str, inherited: list[UnitAssignment]
) -> TaskNode:
    text = node.text()
    spec = _unit_spec(text)
    units_text = ""
    if spec is not None:
        text, units_text = spec
        units = _assignments(units_text, ctx, where=where, line=node.line)
        units_text = re.sub(r"^[(（【\[]|[)）】\]。.]+$", "", units_text.strip()).strip()
    else:
        units = [u.model_copy() for u in inherited]
        if kind == "task" and not units:
            ctx.warn("no_units", "任务没有写明责任单位", line=node.line, where=where)
    title, body = _title_body(text, ctx, where=where, line=node.line)
    deadline = _deadline(body, ctx)
    children = [
        _task_node(
            child,
            ctx,
            key=f"{key}.{j}",
            kind="subtask",
            where=f"{where}({child.number})",
            inherited=units,
        )
        for j, child in enumerate(node.children, start=1)
    ]
    return TaskNode(
        key=key,
        kind=kind,  # type: ignore[arg-type]
        number=_number_label(node),
        title=title[:300] or "（无标题）",
        body=body,
        units=units,
        units_text=units_text,
        due_date=deadline.end if deadline else None,
        line=node.line,
        children=children,
    )


def _tasks(roots: list[Node], ctx: Context) -> list[TaskNode]:
    sections = [n for n in roots if n.role == "tasks"]
    if not sections:
        # No 主要任务 heading: numbered items that name their responsible units are the tasks.
        found = [n for root in roots for n in _walk(root) if _unit_spec(n.text())]
        if not found:
            ctx.warn("no_tasks", "未找到“主要任务”章节，也没有写明责任单位的条目")
            return []
        ctx.warn("no_task_section", "未找到“主要任务”章节，已按写明责任单位的条目识别任务，请核对")
        return [
            _task_node(n, ctx, key=f"t{i}", kind="task", where=f"{_number_label(n)}{n.title[:10]}", inherited=[])
            for i, n in enumerate(found, start=1)
        ]
    out: list[TaskNode] = []
    for s_index, section in enumerate(sections, start=1):
        base = f"t{s_index}" if len(sections) > 1 else "t"
        sec_no = section.number
        _check_sequence(section.children, ctx, f"{sec_no}、{section.title}")
        loose: list[Node] = []
        for g_index, child in enumerate(section.children, start=1):
            grouped = [c for c in child.children if c.level == 3] and child.level == 2
            if grouped:
                _check_sequence(child.children, ctx, f"{sec_no}（{child.number}）")
                group = TaskNode(
                    key=f"{base}{g_index}" if base == "t" else f"{base}.{g_index}",
                    kind="section",
                    number=_number_label(child),
                    title=child.title,
                    body=(child.rest + "".join(b.raw for b in child.body)).strip(),
                    line=child.line,
                )
                for t_index, item in enumerate(child.children, start=1):
                    where = f"{sec_no}（{child.number}）{item.number}"
                    group.children.append(
                        _task_node(item, ctx, key=f"{group.key}.{t_index}", kind="task", where=where, inherited=[])
                    )
                out.append(group)
            else:
                loose.append(child)
        for t_index, item in enumerate(loose, start=1):
            where = f"{sec_no}{_number_label(item)}"
            out.append(_task_node(item, ctx, key=f"{base}0.{t_index}", kind="task", where=where, inherited=[]))
        if not section.children:
            ctx.warn("no_tasks", f"“{section.title}”下没有编号的任务", line=section.line)
    return out


def _walk(node: Node) -> list[Node]:
    return [node, *(n for c in node.children for n in _walk(c))]


def _assign_phases(tasks: list[TaskNode], phases: list[PhaseNode]) -> None:
    main = _main_phase(phases)
    for node in tasks:
        for task in _walk_tasks(node):
            if task.kind == "section":
                continue
            if task.due_date:
                within = [
                    p for p in phases if p.start_date and p.end_date and p.start_date <= task.due_date <= p.end_date
                ]
                task.phase_key = within[0].key if within else (main.key if main else None)
            elif main is not None:
                task.phase_key = main.key


def _walk_tasks(node: TaskNode) -> list[TaskNode]:
    return [node, *(n for c in node.children for n in _walk_tasks(c))]


# ----- goals -------------------------------------------------------------------------------


def _count_comparison(words: str) -> str:
    if _INCREASE_WORDS.search(words):
        return "increase"
    if _AT_MOST_WORDS.search(words):
        return "at_most"
    if _AT_LEAST_WORDS.search(words):
        return "at_least"
    return "increase"  # 培育千万元楼宇10栋, 打造5栋特色楼宇: buildings to add


def _rate_comparison(verb: str, tail: str, unit: str) -> str:
    if unit == "个百分点" or verb in ("提高", "提升", "增加", "增长"):
        return "increase"
    if verb in ("不高于", "不超过", "低于", "控制在") or tail in ("以下", "以内"):
        return "at_most"
    if verb == "为":
        return "equal"
    return "at_least"


def _count_goal(metric: GoalMetric, clause: str, start: int, end: int) -> tuple[int, str, str] | None:
    """(number, measure word, comparison) of a count goal whose metric is named at clause[start:end]."""
    before = re.split(r"[、]", clause[:start])[-1]
    after = clause[end : end + 8]
    mb = list(_COUNT_RE.finditer(before))
    if mb and _GOAL_VERB.search(before):
        number, measure_word, words = mb[-1].group(1), mb[-1].group(2), before
    else:
        ma = _COUNT_AFTER.match(after)
        if not ma:
            return None
        number, measure_word = ma.group(1), ma.group(2)
        words = before + after[: ma.end()]
    value = cn_number(number)
    if value is None:
        return None
    return value, measure_word or metric.unit, _count_comparison(words)


def _rate_goal(clause: str, end: int) -> tuple[Decimal, str, str] | None:
    m = _RATE_AFTER.match(clause[end:])
    if m is None:
        return None
    verb, number, unit, tail = m.group(1) or "", m.group(2), m.group(3), m.group(4) or ""
    return Decimal(number), unit, _rate_comparison(verb, tail, unit)


def _goals(lines: list[Line], ctx: Context) -> list[GoalNode]:
    """Goals of every form; a sentence that states a quantity but names no known figure is a
    warning (the preview shows it), never dropped in silence."""
    out: dict[tuple[str, str], GoalNode] = {}
    for line in lines:
        for clause in _CLAUSE.split(line.norm):
            found_in: list[tuple[int, int]] = []  # spans of the clause read as goals
            for metric, pattern in _GOAL_PATTERNS:
                for m in pattern.finditer(clause):
                    if any(a <= m.start() < b for a, b in found_in):
                        continue  # 十亿元楼宇 already read; not also a 亿元楼宇
                    if metric.kind == "rate":
                        rate = _rate_goal(clause, m.end())
                        if rate is None:
                            continue
                        value, unit, comparison = rate
                    else:
                        count = _count_goal(metric, clause, m.start(), m.end())
                        if count is None:
                            continue
                        number, unit, comparison = count
                        value = Decimal(number)
                    found_in.append((m.start(), m.end()))
                    key = (metric.code, comparison)
                    text = clause.strip()
                    if key in out:
                        if out[key].target != value:
                            ctx.warn(
                                "goal_conflict",
                                f"目标“{text}”与前文“{out[key].text}”不一致，已采用前者",
                                line=line.no,
                            )
                        continue
                    out[key] = GoalNode(
                        metric=metric.code,
                        metric_name=metric.name,
                        comparison=comparison,  # type: ignore[arg-type]
                        target=value,
                        unit=unit,
                        text=text[:300],
                    )
            for part in re.split(r"[、]", clause):
                if _looks_like_goal(part) and not _covered(clause, part, found_in):
                    ctx.warn(
                        "goal_unclassified",
                        f"“{clause.strip()[:80]}”像是量化目标，但未能识别是哪项指标或如何比较，未作为目标导入；"
                        "请核对，需要跟踪时在“量化目标”中补充",
                        line=line.no,
                    )
                    break
    return list(out.values())


def _looks_like_goal(part: str) -> bool:
    return bool(_GOALISH_NUMBER.search(part) and _GOALISH_VERB.search(part))


def _covered(clause: str, part: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a goal was read from this 、-part of the clause (or the clause has one part)."""
    start = clause.find(part)
    end = start + len(part)
    return any(a < end and b > start for a, b in spans) or (bool(spans) and "、" not in clause)


# ----- entry point -------------------------------------------------------------------------


def parse(text: str, directory: Directory) -> ParsedPlan:
    """The structure of one plan document; problems are warnings, never exceptions."""
    ctx = Context(directory=directory)
    lines = _lines(text)
    if not lines:
        ctx.warn("empty", "文件内容为空")
        return ParsedPlan(title="（无标题）", warnings=ctx.warnings)
    preamble, roots = _tree(lines)
    if not roots:
        ctx.warn("no_outline", "未识别到“一、”“二、”这样的章节标题，无法拆分方案结构")
    _classify(roots)
    _check_sequence(roots, ctx, "章节")
    meta = _metadata(preamble, lines, roots, ctx)
    units = _duties(roots, ctx)
    lead = _lead_unit(units, roots, ctx)
    ctx.lead_code = lead.code if lead else None
    phases = _phases(roots, ctx)
    tasks = _tasks(roots, ctx)
    _assign_phases(tasks, phases)
    goals = _goals(lines, ctx)
    if not goals:
        ctx.info("no_goals", "未识别到量化目标（如“新增2栋税收亿元楼宇”）")
    return ParsedPlan(
        title=meta["title"][:200],
        issuer=(meta["issuer"] or "")[:100],
        doc_number=meta["doc_number"][:100],
        issued_date=meta["issued_date"],
        lead_unit=lead,
        units=units,
        sections=_sections(roots),
        tasks=tasks,
        phases=phases,
        goals=goals,
        warnings=ctx.warnings,
    )
