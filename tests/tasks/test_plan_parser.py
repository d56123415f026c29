"""The plan parser on the real plan and on plans written in other styles (pure: no API)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from tasks.plans.parser import parse
from tasks.units.service import directory as load_directory
from tests.tasks.conftest import DATA, REAL_PLAN, STREETS


@pytest.fixture
def directory(db_session):
    with db_session() as session:
        return load_directory(session)


def tasks_of(parsed):
    return [t for group in parsed.tasks for t in ([group] if group.kind == "task" else group.children)]


def codes(task):
    return [u.code for u in task.units]


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


class TestRealPlan:
    @pytest.fixture
    def plan(self, directory):
        return parse(REAL_PLAN, directory)

    def test_metadata(self, plan):
        assert plan.title == "区十六届人大四次会议一号议案办理工作方案"
        assert plan.issuer == "武昌区人民政府办公室"
        assert plan.doc_number == "武昌政办〔2025〕3号"
        assert plan.issued_date == date(2025, 4, 1)

    def test_four_groups_of_three_tasks(self, plan):
        groups = [g for g in plan.tasks if g.kind == "section"]
        assert [g.number for g in groups] == ["（一）", "（二）", "（三）", "（四）"]
        assert groups[0].title == "加强顶层设计,建立完善楼宇经济发展机制"
        assert [len(g.children) for g in groups] == [3, 3, 3, 3]
        assert all(t.kind == "task" for g in groups for t in g.children)

    def test_task_titles_including_lost_full_stops(self, plan):
        titles = [t.title for t in tasks_of(plan)]
        assert titles == [
            "优化楼长制运行体系", "深化产业链协同机制", "常态化开展商务楼宇扫楼行动",
            "盘活存量商务楼宇", "开展新建成楼宇精准招商", "构建全区楼宇生态圈",
            "打造金工文商特色楼宇", "发展科技创新楼宇", "培育双碳产业楼宇",
            "强化全周期服务保障", "完善政策扶持体系", "常态化开展系列活动",
        ]  # fmt: skip
        third = tasks_of(plan)[2]
        assert third.body.startswith("街道楼长联合行业主管部门")
        assert third.body.endswith("提供精准支持。") and "(责任单位" not in third.body

    def test_units_exactly_as_written_with_streets_expanded(self, plan):
        S = list(STREETS)  # 各街道办事处
        expected = [
            ["zfb", "shgzb", "swj", "gsl", "mzj", "xzspj", *S],
            ["fgj", "swj", "jkj", "wlj", "wjj", "zrzyj", *S, "syktj", "zdzs"],
            ["zfb", "swj", "fgj", "zgj", "jkj", "wlj", "wjj", "scjgj", "tjj", "xzspj", "zrzyj", "swuj", *S],
            ["fgj", "zgj", "cgj", "swj", "gzj", "zrzyj", *S],
            ["swj", "fgj", "jkj", "gzj", "zrzyj", "420106002", "420106003", "420106001", "420106009", "420106012"],
            ["zfb", "fgj", "jkj", "swj", "wjj", "xzspj", "zrzyj", "syktj", "gcwl", *S],
            ["zfb", "swj", "wlj", "zrzyj", "420106002", "420106003", "420106005", "420106008", "420106011",
             "420106012"],
            ["fgj", "jkj", "swj", "wjj", "bjswq", "420106002", "420106003", "420106010", "420106013", "syktj",
             "gcwl"],
            ["swj", "jkj", "hzjrc", "sthj", "420106012", "syktj"],
            ["shgzb", "fgj", "swj", "xzspj", *S],
            ["zfb", "swj", "czj", "fgj", "jkj", "zgj", "wlj", "wjj", "scjgj", "kcrc", "zrzyj", "syktj"],
            ["zfb", "swj", "jkj", "kcrc", *S, "syktj", "gcwl"],
        ]  # fmt: skip
        tasks = tasks_of(plan)
        assert [codes(t) for t in tasks] == expected
        assert all(u.matched_by in ("exact", "variant") for t in tasks for u in t.units)
        streets = [u for u in tasks[0].units if u.code in STREETS]
        assert {u.written for u in streets} == {"各街道办事处"}
        assert len(streets) == 14 and "420106490" not in codes(tasks[0])
        assert tasks[11].units[3].written == "区科技创新和人才服务中心"  # an alias of 区科技创新与人才服务中心

    def test_lead_unit_is_the_bureau_on_every_task(self, plan):
        assert plan.lead_unit.code == "swj"
        for task in tasks_of(plan):
            assert [u.code for u in task.units if u.role == "lead"] == ["swj"], task.title

    def test_co_organisers_with_duties(self, plan):
        co = {u.code: u for u in plan.units if u.role == "co"}
        departments = {"zfb", "shgzb", "gsl", "fgj", "jkj", "mzj", "czj", "zgj", "cgj", "wlj", "wjj", "gzj",
                       "scjgj", "tjj", "xzspj", "hzjrc", "bjswq", "kcrc", "sthj", "swuj", "zrzyj", "syktj", "gcwl",
                       "zdzs"}  # fmt: skip
        assert departments | set(STREETS) == set(co)
        assert co["swuj"].duty.startswith("参与扫楼行动,开展税源行动")
        assert co["420106005"].duty.startswith("落实楼长制") and co["420106005"].written == "各街道办事处"
        assert co["sthj"].written == "武汉市生态环境局武昌分局"
        assert all(u.duty for u in co.values())
        lead = [u for u in plan.units if u.role == "lead"]
        assert [u.code for u in lead] == ["swj"] and lead[0].duty.startswith("全面统筹一号议案的办理工作")

    def test_three_phases_with_repaired_dates(self, plan):
        got = [(p.name, p.start_date, p.end_date) for p in plan.phases]
        assert got == [
            ("动员部署阶段", date(2025, 3, 1), date(2025, 3, 31)),
            ("全面推进阶段", date(2025, 3, 1), date(2025, 9, 30)),
            ("总结验收阶段", date(2025, 10, 1), date(2025, 10, 31)),
        ]
        assert plan.phases[0].steps[2] == "召开动员会,部署办理工作。"
        assert any(w.code == "date_repaired" and "20253月" in w.message for w in plan.warnings)

    def test_tasks_fall_in_the_main_phase(self, plan):
        assert {t.phase_key for t in tasks_of(plan)} == {"p2"}

    def test_goals(self, plan):
        got = {(g.metric, g.target, g.unit) for g in plan.goals}
        assert got == {
            ("yiyuan_buildings", Decimal(2), "栋"),
            ("featured_buildings", Decimal(8), "栋"),
            ("sharing_centres", Decimal(3), "个"),
        }

    def test_no_warnings_only_notes(self, plan):
        assert [w for w in plan.warnings if w.level == "warning"] == []

    def test_sections_outline(self, plan):
        assert [(s.number, s.title, s.role) for s in plan.sections] == [
            ("一、", "指导思想", "other"),
            ("二、", "工作目标", "goals"),
            ("三、", "主要任务", "tasks"),
            ("四、", "责任分解", "duties"),
            ("五、", "工作步骤", "phases"),
            ("六、", "工作要求", "requirements"),
        ]


class TestOtherStyles:
    def test_half_width_with_lead_and_co_lines(self, directory):
        plan = parse(read("plan_a_halfwidth.txt"), directory)
        assert plan.title == "2025年商务楼宇招商攻坚行动方案"
        assert plan.doc_number == "武昌商务发[2025]7号" and plan.issued_date == date(2025, 5, 6)
        assert plan.issuer == "武汉市武昌区商务局"
        tasks = tasks_of(plan)
        assert [t.title for t in tasks] == ["建立楼宇招商项目库", "开展楼宇专场推介", "推进政务服务进楼宇"]
        # 牵头单位 decides the lead, not the plan's lead unit.
        assert [(u.code, u.role) for u in tasks[1].units] == [
            ("jkj", "lead"), ("swj", "co"), ("420106012", "co"), ("420106011", "co"),
        ]  # fmt: skip
        assert tasks[1].due_date == date(2025, 6, 30)
        assert codes(tasks[2])[:2] == ["xzspj", "shgzb"] and len(codes(tasks[2])) == 16
        assert [(p.start_date, p.end_date) for p in plan.phases][1] == (date(2025, 6, 1), date(2025, 11, 30))
        assert {(g.metric, g.target) for g in plan.goals} == {
            ("yiyuan_buildings", 3), ("featured_buildings", 4),
        }  # fmt: skip
        assert [u.code for u in plan.units] == ["swj", "fgj", "jkj", "xzspj"]

    def test_full_width_bracket_labels(self, directory):
        plan = parse(read("plan_b_fullwidth.txt"), directory)
        tasks = tasks_of(plan)
        assert [t.title for t in tasks] == [
            "打造数字经济楼宇",
            "打造金融特色楼宇",
            "提升楼宇周边环境",
            "开展星级物业评定",
        ]
        assert [(u.code, u.role) for u in tasks[1].units] == [
            ("hzjrc", "lead"), ("swj", "co"), ("czj", "co"), ("420106012", "co"),
        ]  # fmt: skip
        assert tasks[3].due_date == date(2025, 9, 30)
        assert [p.name for p in plan.phases] == ["启动阶段", "实施阶段", "验收阶段"]
        assert plan.phases[1].end_date == date(2025, 10, 31)
        assert {(g.metric, g.target, g.unit) for g in plan.goals} == {
            ("featured_buildings", 5, "栋"), ("qianwan_buildings", 10, "栋"), ("sharing_centres", 2, "个"),
        }  # fmt: skip
        assert plan.lead_unit.code == "swj"

    def test_flat_task_list_and_colon_phases(self, directory):
        plan = parse(read("plan_c_flat.txt"), directory)
        assert plan.title == "中南路街道楼宇经济提升工作计划"
        assert plan.issuer == "中南路街道办事处" and plan.issued_date == date(2024, 3, 1)
        assert [t.kind for t in plan.tasks] == ["task"] * 4
        assert codes(plan.tasks[0]) == ["420106011", "tjj"] and plan.tasks[0].units[0].role == "lead"
        assert plan.tasks[0].due_date == date(2024, 6, 30)
        assert [(p.name, p.start_date, p.end_date, p.steps) for p in plan.phases][0] == (
            "第一阶段", date(2024, 3, 1), date(2024, 4, 30), ["制定计划"],
        )  # fmt: skip
        assert plan.lead_unit.code == "420106011"
        assert [u.code for u in plan.units if u.role == "co"] == ["tjj", "swuj", "scjgj", "swj"]

    def test_missing_punctuation_and_lost_characters(self, directory):
        plan = parse(read("plan_d_missing_punct.txt"), directory)
        assert [s.title for s in plan.sections] == ["工作目标", "主要任务", "责任分解", "工作步骤"]
        tasks = tasks_of(plan)
        assert [t.title for t in tasks] == ["优化楼宇经济信息平台", "开展扫楼行动", "完善扶持政策"]
        assert codes(tasks[0]) == ["swj", "tjj", "jkj"]  # separated by spaces only
        assert codes(tasks[1]) == ["swj", "swuj", *STREETS]  # written together without separators
        assert codes(tasks[2]) == ["swj", "czj", "kcrc"]  # 区科技创新和人才服中心 lost a character
        assert [(p.start_date, p.end_date) for p in plan.phases] == [
            (date(2025, 6, 1), date(2025, 6, 30)),
            (date(2025, 7, 1), date(2025, 11, 30)),
            (date(2025, 12, 1), date(2025, 12, 31)),
        ]
        assert [(g.metric, g.target) for g in plan.goals] == [("yiyuan_buildings", 2)]
        assert any(w.code == "units_joined" for w in plan.warnings)

    def test_subtasks_notice_preamble_and_chinese_numeral_date(self, directory):
        plan = parse(read("plan_e_subtasks.txt"), directory)
        assert plan.title == "滨江商务区楼宇招商三年行动计划"
        assert plan.issued_date == date(2025, 5, 20) and plan.doc_number == "武昌商务〔2025〕12号"
        first, second = tasks_of(plan)
        assert [(u.code, u.role) for u in first.units] == [("swj", "lead"), ("bjswq", "co"), ("420106003", "co")]
        assert [c.title for c in first.children] == ["梳理可招商楼层", "举办专场推介会"]
        assert all(c.kind == "subtask" for c in first.children)
        assert first.children[0].due_date == date(2025, 7, 31)
        assert codes(first.children[0]) == codes(first)  # inherited
        assert codes(first.children[1]) == ["jkj", "420106003"]  # its own
        assert [c.title for c in second.children] == ["完成产业定位研究", "形成意向企业清单"]
        assert plan.phases[1].end_date == date(2027, 9, 30)


class TestTasksWithoutATaskHeading:
    def test_top_level_items_naming_their_units_are_tasks(self, directory):
        plan = parse(read("plan_f_no_task_heading.txt"), directory)
        assert [t.title for t in plan.tasks] == ["开展楼宇普查", "建立楼宇台账"]
        assert plan.tasks[0].units[0].code == "tjj" and plan.tasks[0].units[0].role == "lead"
        assert codes(plan.tasks[0])[1:] == list(STREETS)
        assert plan.tasks[0].due_date == date(2025, 8, 31)
        assert [(u.code, u.role) for u in plan.tasks[1].units] == [("swj", "lead"), ("swuj", "co"), ("scjgj", "co")]
        assert {"no_task_section", "no_phases", "no_lead_unit"} <= {w.code for w in plan.warnings}


class TestBadInput:
    def test_garbled_text_gives_warnings_and_no_invented_units(self, directory):
        plan = parse(read("plan_garbled.txt"), directory)
        kinds = {w.code for w in plan.warnings if w.level == "warning"}
        assert {"no_title", "no_lead_unit", "no_tasks", "phase_without_dates", "unknown_unit"} <= kinds
        assert all(u.code is None for u in plan.units)  # 区月球局 reported, not created
        assert plan.tasks == []
        assert all(p.start_date is None for p in plan.phases)  # 2025年13月 is no date

    def test_unknown_unit_in_a_task_is_kept_as_written_without_code(self, directory):
        text = "一、主要任务\n1.开展试点。（责任单位：区商务局、区火星开发局）\n"
        plan = parse(text, directory)
        task = plan.tasks[0]
        assert [(u.written, u.code) for u in task.units] == [("区商务局", "swj"), ("区火星开发局", None)]
        assert any(w.code == "unknown_unit" and "区火星开发局" in w.message for w in plan.warnings)

    def test_empty_text(self, directory):
        plan = parse("   \n \n", directory)
        assert plan.title == "（无标题）" and plan.warnings[0].code == "empty"

    @pytest.mark.parametrize("seed", range(20))
    def test_random_mangling_of_the_real_plan_never_raises(self, directory, seed):
        rng = random.Random(seed)
        chars = list(REAL_PLAN)
        for _ in range(400):
            i = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.4:
                del chars[i]
            elif op < 0.7:
                chars.insert(i, rng.choice("（）()、,.。:：;；1一\n 区局"))
            else:
                chars[i], chars[(i + 7) % len(chars)] = chars[(i + 7) % len(chars)], chars[i]
        plan = parse("".join(chars), directory)
        known = set(directory.units)
        for task in tasks_of(plan):
            assert all(u.code is None or u.code in known for u in task.units)


class TestGoalForms:
    """One plan per form a goal is written in: each becomes the same goal shape, and a sentence
    that looks like a goal but names no known figure is a warning, never silence."""

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            (
                "increase",
                ("yiyuan_buildings", "亿元楼宇", "increase", Decimal(2), "栋", "previous_year_end", "metrics"),
            ),
            ("absolute", ("yiyuan_buildings", "亿元楼宇", "at_least", Decimal(4), "栋", "none", "metrics")),
            ("rate_at_least", ("occupancy_rate", "入驻率", "at_least", Decimal(80), "%", "none", "metrics")),
            ("rate_not_below", ("registration_rate", "注册率", "at_least", Decimal(80), "%", "none", "metrics")),
            ("rate_at_most", ("vacancy_rate", "空置率", "at_most", Decimal(45), "%", "none", "metrics")),
            (
                "bureau_count",
                ("sharing_centres", "招商共享中心", "increase", Decimal(3), "个", "previous_year_end", "metrics"),
            ),
        ],
    )
    def test_each_form_is_one_goal_shape(self, directory, name, expected):
        plan = parse(read(f"goal_forms/{name}.txt"), directory)
        assert [
            (g.metric, g.metric_name, g.comparison, g.target, g.unit, g.baseline, g.measured_by) for g in plan.goals
        ] == [expected]
        assert [w for w in plan.warnings if w.level == "warning"] == []
        assert plan.phases[0].end_date == date(2025, 10, 31)

    def test_an_unclassifiable_goal_sentence_is_a_warning(self, directory):
        plan = parse(read("goal_forms/unclassified.txt"), directory)
        assert plan.goals == []
        [warning] = [w for w in plan.warnings if w.level == "warning"]
        assert warning.code == "goal_unclassified" and warning.line == 3
        assert "“全年楼宇税收突破50亿元”像是量化目标" in warning.message

    @pytest.mark.parametrize(
        ("sentence", "expected"),
        [
            ("全区亿元楼宇达到35栋", [("yiyuan_buildings", "at_least", 35, "栋")]),
            ("十亿元楼宇达到3栋", [("shiyi_buildings", "at_least", 3, "栋")]),
            ("纳统率提高5个百分点", [("statistics_rate", "increase", 5, "个百分点")]),
            ("楼宇入驻率控制在95%以内", [("occupancy_rate", "at_most", 95, "%")]),
            ("全区楼宇空置率不高于10%", [("vacancy_rate", "at_most", 10, "%")]),
            ("注册率提升到85%,纳统率不低于70%", [("registration_rate", "at_least", 85, "%"),
                                              ("statistics_rate", "at_least", 70, "%")]),
            ("新增入驻企业200家", [("tenants", "increase", 200, "家")]),
            ("累计培育5000万元楼宇12栋", [("wuqianwan_buildings", "at_least", 12, "栋")]),
        ],
    )  # fmt: skip
    def test_sentences(self, directory, sentence, expected):
        plan = parse(f"方案\n一、工作目标\n{sentence}。\n", directory)
        assert [(g.metric, g.comparison, g.target, g.unit) for g in plan.goals] == expected
        assert not [w for w in plan.warnings if w.code == "goal_unclassified"]

    @pytest.mark.parametrize(
        "sentence", ["全年楼宇税收突破50亿元", "新增楼宇商务面积20万平方米", "引进总部企业5家以上"]
    )
    def test_goal_like_sentences_without_a_known_figure_warn(self, directory, sentence):
        plan = parse(f"方案\n一、工作目标\n{sentence}。\n", directory)
        assert plan.goals == [] and [w.code for w in plan.warnings if w.code.startswith("goal")] == [
            "goal_unclassified"
        ]

    def test_the_real_plan_goals_keep_their_form(self, directory):
        plan = parse(REAL_PLAN, directory)
        assert [(g.metric, g.comparison, g.measured_by) for g in plan.goals] == [
            ("yiyuan_buildings", "increase", "metrics"),
            ("featured_buildings", "increase", "metrics"),
            ("sharing_centres", "increase", "metrics"),
        ]
