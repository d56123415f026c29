"""The built-in words of 问数: catalogue metrics with their synonyms, tiers, intents.

Entity names (streets, buildings, zones, themes, enterprises) come from the read model and the
reference files; the bureau adds synonyms of any kind in ``ask_synonym`` (``/ask/synonyms``).
A metric here is always a catalogue code (``metrics.catalogue.definitions``)."""

from __future__ import annotations

# catalogue code → the words people use for it (the catalogue name is added automatically).
METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "tax_total": (
        "税收",
        "纳税",
        "税额",
        "全口径税收",
        "全口径税",
        "税收总额",
        "交税",
        "缴税",
        "纳税额",
        "税收收入",
        "交了多少税",
        "缴了多少税",
        "交多少税",
    ),
    "tax_district": ("区级税收", "区级税", "区级口径税收", "地方税收", "区级留成", "区级口径"),
    "revenue": ("营业收入", "营收", "收入", "营业额"),
    "employees": ("从业人员", "从业人数", "员工", "员工人数", "就业人数", "职工人数"),
    "tax_per_m2_gfa": ("坪效", "每平米税收", "每平方米税收", "单位面积税收", "亩均税收", "建筑面积坪效"),
    "tax_per_m2_occupied": ("入驻面积坪效", "按入驻面积坪效"),
    "tax_district_per_m2_gfa": ("区级坪效",),
    "tax_district_per_m2_occupied": ("区级入驻面积坪效",),
    "buildings": ("楼宇数", "楼宇数量", "几栋楼", "多少栋楼", "几栋楼宇", "多少栋楼宇", "多少楼宇", "几幢楼"),
    "gfa": ("建筑面积", "总建筑面积", "建面"),
    "leasable_area": ("可出租面积", "可租面积", "商务办公面积"),
    "occupied_area": ("入驻面积", "已出租面积", "已租面积", "在租面积"),
    "vacant_area": ("空置面积", "闲置面积", "空置的面积", "空着的面积"),
    "occupancy_rate": ("入驻率", "出租率", "出租情况", "入住率"),
    "vacancy_rate": ("空置率", "闲置率", "空置比例", "空置", "闲置"),
    "under_construction_area": ("在建载体面积", "在建面积"),
    "under_construction_buildings": ("在建楼宇", "在建楼", "在建的楼宇"),
    "not_reported_buildings": ("未填报楼宇", "未填报"),
    "tenants": ("在楼企业", "入驻企业", "企业数", "在楼企业数", "多少家企业", "几家企业", "企业数量", "入驻企业数"),
    "registered_tenants": ("在册企业", "在册企业数"),
    "statistics_tenants": ("纳统企业", "纳统企业数"),
    "registration_rate": ("注册率",),
    "statistics_rate": ("纳统率",),
    "enterprises_with_figures": ("有数据的企业", "有税收数据的企业"),
    "unattributed_tax_total": ("未入楼企业税收", "未入楼企业全口径税收", "楼外企业税收"),
    "unattributed_tax_district": ("未入楼企业区级税收",),
    "unattributed_revenue": ("未入楼企业营业收入",),
    "tax_rank": ("税收排名", "排第几", "排名第几", "第几名"),
    "tax_total_yoy": ("税收同比", "税收增速", "税收增幅", "税收增长"),
    "tax_district_yoy": ("区级税收同比", "区级税收增速"),
}

# tier key → words (counts 达到即计入 ≥).
TIER_WORDS: dict[str, tuple[str, ...]] = {
    "qianwan": ("千万元楼宇", "千万元楼", "千万楼宇", "千万级楼宇", "税收千万元楼宇", "千万楼"),
    "wuqianwan": ("5000万元楼宇", "5000万元楼", "五千万元楼宇", "五千万楼宇", "5000万楼"),
    "yiyuan": ("亿元楼宇", "亿元楼", "亿元大楼", "税收亿元楼宇", "亿元级楼宇", "亿元以上楼宇"),
    "shiyi": ("十亿元楼宇", "十亿元楼", "十亿楼宇", "十亿楼"),
    "yueyi": ("月亿楼", "月亿元楼宇", "月税收过亿楼宇", "月亿元楼"),
}
TIER_METRIC = {
    "qianwan": "qianwan_buildings",
    "wuqianwan": "wuqianwan_buildings",
    "yiyuan": "yiyuan_buildings",
    "shiyi": "shiyi_buildings",
    "yueyi": "yueyi_buildings",
}

COMPARE_WORDS = (
    "同比",
    "比去年",
    "比上年",
    "较去年",
    "较上年",
    "去年同期",
    "上年同期",
    "增长了多少",
    "增长多少",
    "增幅",
    "增速",
)
COUNT_WORDS = ("几栋", "多少栋", "几幢", "多少幢", "几个", "多少个", "数量", "个数", "几座", "多少座", "有几", "共有")
LIST_WORDS = ("哪些", "哪几", "列出", "名单", "清单", "都有谁", "有哪", "是哪", "列表")
RANK_WORDS = (
    "排名",
    "排行",
    "最高",
    "最多",
    "最大",
    "前十",
    "前五",
    "前三",
    "前20",
    "前10",
    "前5",
    "前3",
    "top",
    "TOP",
    "哪个",
    "哪栋",
    "最好",
)
RANK_LOW_WORDS = ("最低", "最少", "最小", "倒数", "最差", "后十", "后五")
TREND_WORDS = ("走势", "趋势", "每月", "每个月", "逐月", "月度", "各月", "变化情况", "按月")
OVER_WORDS = ("超过", "高于", "大于", "多于", "不低于", "以上", "达到", "过", "≥", ">")
UNDER_WORDS = ("低于", "小于", "少于", "不足", "不到", "以下", "未达到", "<", "≤")
BUILDING_WORDS = ("楼宇", "大楼", "楼", "大厦", "写字楼", "商务楼宇")
STREET_WORDS = ("街道", "各街道", "哪个街道")
DISTRICT_WORDS = ("全区", "武昌区", "武昌", "区里", "全区范围", "本区")

# Words that carry no meaning of their own in a question (kept out of "what could not be read").
FILLER = tuple(
    sorted(
        {
            "统一社会信用代码", "信用代码", "代码为", "代码",
            "请问", "请", "帮我", "帮忙", "查一下", "查询", "查查", "看看", "看一下", "告诉我", "我想知道", "想知道",
            "一下", "是多少", "多少", "是", "的", "了", "吗", "呢", "啊", "有", "在", "和", "与", "及", "各", "个",
            "栋", "家", "幢", "座", "共", "总共", "一共", "合计", "情况", "怎么样", "如何", "目前", "现在", "当前",
            "数据", "多大", "几", "为", "其", "按", "从", "到", "里", "中", "内", "该", "本", "这", "那", "都",
            "分别", "占", "比", "元", "万元", "亿元", "万", "亿", "平方米", "平米", "㎡", "%", "％", "百分之",
            "期间", "时候", "统计", "指标", "值", "水平", "排", "名", "第", "是否", "有没有", "所有", "全部",
            "列", "出", "给", "我", "一览", "按照", "及其", "对应", "相关", "里面", "其中", "多", "少", "高", "低",
            "位", "以", "上", "下", "达", "到了", "增长", "下降", "变化", "同期", "年", "月", "楼宇", "大楼",
            "楼", "企业", "公司", "街道", "区", "个月", "那些", "些", "谁", "什么", "啥", "吧",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
