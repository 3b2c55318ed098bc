"""Words a reader sees: zh/en labels for headings, kinds, statuses and units, and the glossary of the report's terms.

The glossary's explanations are this project's own words, in English and Chinese.
"""

from __future__ import annotations

import pandas as pd

#: Column headings and other interface words, by language.
HEADINGS: dict[str, dict[str, str]] = {
    "zh": {
        "id": "编号",
        "section": "部分",
        "topic": "主题",
        "indicator": "指标",
        "value": "数值（原文）",
        "unit": "单位",
        "base_value": "基本单位数值",
        "base_unit": "基本单位",
        "qualifier": "限定词",
        "period": "时期",
        "measure": "类型",
        "interval": "区间",
        "formula": "算式",
        "kind": "关系类型",
        "derived": "推算值",
        "status": "结论",
        "explanation": "计算过程",
        "count": "个数",
        "term": "术语",
        "term_en": "英文",
        "meaning": "解释",
        "title": "标题",
        "subtitle": "副标题",
        "figures": "数字个数",
        "relations": "关系个数",
        "amount": "金额",
        "scale": "量级",
        "expected": "推算区间",
        "observed": "应满足的区间",
        "not_reported": "未报告",
        "official_name": "官方名称（中文）",
        "no_bound": "无界（任意值）",
        "things": "个数（量词）",
        "in_yuan": "亿元",
        "in_usd": "亿美元（按汇率参数折算）",
        "score": "指标",
        "percent": "百分比（%）",
        "of_how_many": "基数",
        "guessed_indicator": "指标（猜测）",
        "disagreement": "差异类型",
        "no_disagreements": "无差异",
        "offsets": "字符位置",
        "curated": "人工整理",
        "draft": "自动草稿",
    },
    "en": {
        "id": "id",
        "section": "section",
        "topic": "topic",
        "indicator": "indicator",
        "value": "value (printed)",
        "unit": "unit",
        "base_value": "value in base units",
        "base_unit": "base unit",
        "qualifier": "qualifier",
        "period": "period",
        "measure": "measure",
        "interval": "interval",
        "formula": "formula",
        "kind": "relation",
        "derived": "derived value",
        "status": "verdict",
        "explanation": "arithmetic",
        "count": "count",
        "term": "term",
        "term_en": "English",
        "meaning": "meaning",
        "title": "title",
        "subtitle": "subtitle",
        "figures": "figures",
        "relations": "relations",
        "amount": "amount",
        "scale": "scale",
        "expected": "recomputed",
        "observed": "must overlap",
        "not_reported": "not reported",
        "official_name": "official name (Chinese)",
        "no_bound": "no bound (any value)",
        "things": "counted things",
        "in_yuan": "100 million yuan",
        "in_usd": "100 million US dollars (at the exchange-rate parameter)",
        "score": "measure",
        "percent": "per cent",
        "of_how_many": "out of",
        "guessed_indicator": "indicator (a guess)",
        "disagreement": "disagreement",
        "no_disagreements": "no disagreements",
        "offsets": "characters",
        "curated": "curated",
        "draft": "draft",
    },
}

#: The extractor's scores (07_extract), by language.
SCORE_LABELS = {
    "zh": {
        "recall": "召回率",
        "precision": "准确率",
        "qualifier_agrees": "限定词一致",
        "period_agrees": "时期一致",
        "measure_agrees": "类型一致（猜测）",
    },
    "en": {
        "recall": "recall",
        "precision": "precision",
        "qualifier_agrees": "qualifier agrees",
        "period_agrees": "period agrees",
        "measure_agrees": "measure agrees (a guess)",
    },
}

#: Kinds of disagreement between the extractor's draft and the curated package.
CONFUSION_LABELS = {
    "zh": {"missed": "漏提", "added": "多提", "qualifier": "限定词不同", "period": "时期不同"},
    "en": {"missed": "missed", "added": "added", "qualifier": "different qualifier", "period": "different period"},
}

#: Words that stand for parameters and calendar quantities in relation formulas.
FORMULA_WORDS = {
    "zh": {
        "population": "人口基数（参数）",
        "fx_usd_cny": "汇率（元/美元，参数）",
        "months": "月数",
        "days in the period": "时期天数",
    },
    "en": {
        "population": "population (parameter)",
        "fx_usd_cny": "yuan per US dollar (parameter)",
        "months": "months",
        "days in the period": "days in the period",
    },
}

QUALIFIER_LABELS = {
    "zh": {
        "exact": "无限定",
        "more_than": "超/余/突破（下限）",
        "approx": "约",
        "estimate": "预计",
        "at_most": "以内（上限）",
        "range": "区间（取下限）",
    },
    "en": {
        "exact": "as printed",
        "more_than": "more than (a lower bound)",
        "approx": "about",
        "estimate": "expected",
        "at_most": "at most (an upper bound)",
        "range": "a range (its low end, a lower bound)",
    },
}

MEASURE_LABELS = {
    "zh": {
        "level": "总量",
        "count": "个数",
        "stock": "存量/累计",
        "flow": "新增/当期",
        "change_yoy_pct": "同比增速",
        "share_pct": "占比",
        "completion_pct": "完成率",
        "rate": "标准（每人每月）",
        "investment_total": "总投资",
        "area": "面积",
        "length": "长度",
        "change_pp": "百分点变化",
        "other": "其他",
    },
    "en": {
        "level": "level",
        "count": "count",
        "stock": "stock (cumulative)",
        "flow": "flow (added)",
        "change_yoy_pct": "growth year on year",
        "share_pct": "share",
        "completion_pct": "completion of plan",
        "rate": "rate (per person per month)",
        "investment_total": "total investment",
        "area": "area",
        "length": "length",
        "change_pp": "change in percentage points",
        "other": "other",
    },
}

STATUS_LABELS = {
    "zh": {"consistent": "一致", "inconsistent": "不一致", "cannot tell": "无法判断"},
    "en": {"consistent": "consistent", "inconsistent": "inconsistent", "cannot tell": "cannot tell"},
}

KIND_LABELS = {
    "zh": {
        "sum": "求和",
        "per_unit": "单位量",
        "per_capita": "人均",
        "per_year": "折合每年",
        "to_hectares": "折合公顷",
        "usd_to_cny": "美元折人民币",
        "monthly_average": "月均",
        "share_of_whole": "部分占整体",
        "part_from_share": "由占比求部分",
        "implied_whole": "由占比推整体",
        "prior_level": "上年同期水平",
        "yoy_increment": "同比增量",
        "stock_before_flow": "新增前存量",
        "stock_growth": "存量增长率",
        "implied_plan": "由完成率推计划",
        "share_of_period": "占时期天数",
    },
    "en": {
        "sum": "sum",
        "per_unit": "per unit",
        "per_capita": "per resident",
        "per_year": "per year",
        "to_hectares": "in hectares",
        "usd_to_cny": "US dollars in yuan",
        "monthly_average": "monthly average",
        "share_of_whole": "part as share of whole",
        "part_from_share": "part from its share",
        "implied_whole": "whole implied by a share",
        "prior_level": "level a year earlier",
        "yoy_increment": "increase on a year earlier",
        "stock_before_flow": "stock before the additions",
        "stock_growth": "growth of the stock",
        "implied_plan": "plan implied by completion",
        "share_of_period": "share of the period's days",
    },
}

#: (Chinese term, English term, explanation in English, explanation in Chinese) — in this project's own words.
GLOSSARY: list[tuple[str, str, str, str]] = [
    (
        "增加值",
        "value added",
        "Output minus the goods and services used up to make it; summed over industries it gives GDP.",
        "产出扣除生产中消耗的中间投入后的部分；各行业相加即为地区生产总值。",
    ),
    (
        "同比",
        "year on year",
        "Compared with the same period one year earlier (Jan–Sep 2022 against Jan–Sep 2021).",
        "与上一年同一时期相比，例如2022年前三季度对比2021年前三季度。",
    ),
    ("比上年", "on the previous year", "Compared with the whole previous year.", "与上一整年相比。"),
    (
        "规上 / 规模以上",
        "above designated size",
        "Firms large enough to be surveyed monthly by the statistics bureau (for most industries, annual "
        "revenue of 20 million yuan or more); figures for them leave out small firms.",
        "达到统计部门按月调查门槛的企业（多数行业为年营业收入2000万元及以上）；这类数字不含小企业。",
    ),
    (
        "专精特新",
        "specialised, refined, distinctive and novel",
        "A government label for small and medium firms that lead a narrow niche through specialisation and innovation.",
        "政府对在细分领域专业化、精细化、有特色、有创新的中小企业的认定。",
    ),
    (
        "小巨人",
        "little giant",
        "The higher tier of 专精特新 firms, recognised at national (or, in local usage, city) level.",
        "专精特新企业中的更高层级，由国家（地方也有市级）认定。",
    ),
    (
        "瞪羚企业",
        "gazelle firm",
        "A young firm whose revenue has grown fast for several years running, as recognised by a province or city.",
        "成立时间不长、营业收入连续多年高速增长并获省或市认定的企业。",
    ),
    (
        "高新技术企业",
        "high-tech enterprise",
        "A firm certified for its R&D spending and own technology; the label brings a lower income-tax rate.",
        "因研发投入和自有技术获认定的企业，可享受较低的所得税税率。",
    ),
    (
        "万 / 亿 / 万亿",
        "ten thousand / hundred million / trillion",
        "Chinese counts in groups of four digits: 1万 = 10,000; 1亿 = 100,000,000; 1万亿 = 10^12. "
        "So 84亿元 is 8.4 billion yuan.",
        "中文以四位为一级计数：1万=10,000，1亿=100,000,000，1万亿=10^12；84亿元即84×10^8元。",
    ),
    (
        "亩",
        "mu",
        "A Chinese unit of land area: 1 mu = 10000/15 ≈ 666.7 square metres; 15 mu make a hectare.",
        "中国的土地面积单位：1亩=10000/15≈666.7平方米，15亩为1公顷。",
    ),
    (
        "超 / 余 / 突破",
        "more than / over / passed",
        "The number printed is a lower bound: the true value is at least that large, and how much larger is not said.",
        "所印数字是下限：实际值不小于它，但没有说明大多少。",
    ),
    (
        "约",
        "about",
        "The number is an approximation; the report does not say how rough, so this project widens its interval by "
        "the relative tolerance of the parameter approx_tolerance.",
        "数字是近似值，报道没有说明误差多大；本项目按参数 approx_tolerance 的相对误差放宽它的区间。",
    ),
    (
        "预计",
        "expected / estimated",
        "A forecast made before the period closed; the outturn may differ. Its interval is widened like that of 约.",
        "在时期结束前作出的预计，实际结果可能不同；它的区间与“约”一样放宽。",
    ),
    (
        "累计",
        "cumulative",
        "A running total: since the start of the year, or since the thing began (5G base stations built so far).",
        "累加的总数：从年初起算，或从开始建设起算（如累计建成的5G基站）。",
    ),
    (
        "1-11月份 / 前三季度",
        "January to November / first three quarters",
        "The period the figure covers; figures over different periods cannot be added or compared directly.",
        "数字覆盖的时期；时期不同的数字不能直接相加或比较。",
    ),
    (
        "个百分点",
        "percentage points",
        "The difference between two percentages (from 5% to 7% is 2 percentage points, but 40 percent growth).",
        "两个百分比之差（从5%到7%是上升2个百分点，相对增长40%）。",
    ),
    (
        "社会消费品零售总额",
        "total retail sales of consumer goods",
        "The value of goods sold to households and institutions by retailers and caterers; a gauge of consumption.",
        "零售和餐饮企业向居民和单位出售消费品的金额，是衡量消费的常用指标。",
    ),
    (
        "实际利用外资",
        "foreign direct investment actually used",
        "Foreign investment that has actually arrived, as opposed to amounts signed in contracts.",
        "实际到位的外商投资，不同于合同约定的金额。",
    ),
    (
        "市场主体",
        "market entities",
        "All registered businesses: companies, sole proprietors (个体工商户) and farmers' cooperatives.",
        "登记在册的各类经营者：企业、个体工商户和农民专业合作社等。",
    ),
    (
        "低保",
        "minimum living allowance (dibao)",
        "A monthly cash top-up that brings poor households up to a locally set income standard per person.",
        "对收入低于当地标准的困难家庭按人按月发放的补差救助。",
    ),
    (
        "网格员",
        "grid worker",
        "A community worker responsible for one small 'grid' of households and buildings: visits, records, "
        "reports problems.",
        "负责一个小网格内住户和建筑的社区工作人员：走访、登记、上报问题。",
    ),
    (
        "网格",
        "grid (cell)",
        "The smallest unit of urban management: a block of some hundreds of households.",
        "城市基层管理的最小单元，一般包含数百户居民。",
    ),
    (
        "征收拆迁 / 征迁",
        "expropriation and demolition",
        "Taking over land and buildings for redevelopment, with compensation or resettlement for residents.",
        "为再开发而征收土地房屋，并对居民补偿或安置。",
    ),
    (
        "土地出让",
        "sale of land-use rights",
        "The government sells fixed-term rights to use state land; the proceeds are a main source of local revenue.",
        "政府有偿出让国有土地一定年限的使用权，所得是地方财政的重要来源。",
    ),
    (
        "总投资",
        "total investment",
        "The planned cost of a project over its whole life, not what was spent this year.",
        "项目整个建设期的计划投资额，不是当年完成的投资。",
    ),
    (
        "完成年度投资计划",
        "completion of the annual investment plan",
        "Investment done in the year as a share of what was planned for it; above 100% means more than planned.",
        "当年完成投资占年度计划的比例；超过100%即超额完成。",
    ),
    (
        "民生支出",
        "spending on people's livelihood",
        "Budget spending on education, health, social security, housing, jobs and the like.",
        "用于教育、卫生、社会保障、住房、就业等方面的财政支出。",
    ),
    (
        "良好以上天数",
        "days with good or excellent air",
        "Days whose air-quality index is 100 or below (grades I and II).",
        "空气质量指数不超过100（一级、二级）的天数。",
    ),
    (
        "考核断面",
        "assessed monitoring section",
        "A fixed point on a river where water quality is measured against a target.",
        "河流上按目标考核水质的固定监测点位。",
    ),
    (
        "齐鲁样板村",
        "Qilu model village",
        "A village recognised by Shandong as a showcase of rural revitalisation.",
        "山东省认定的乡村振兴示范村。",
    ),
    (
        "院士",
        "academician",
        "A member of the Chinese Academy of Sciences or of Engineering (or a foreign academy).",
        "中国科学院、中国工程院（或外国科学院）院士。",
    ),
]


#: Sentences helpers put on a page, by language; ``{name}`` fields are filled from the data.
SENTENCES = {
    "zh": {
        "tolerance_note": "注：标“约”或“预计”的数字（{names}）按相对误差{tolerance}取区间（参数 approx_tolerance），"
        "并包含其印刷精度所允许的范围。",
    },
    "en": {
        "tolerance_note": "Note: figures marked 约 (about) or 预计 (expected) ({names}) are given a relative tolerance "
        "of {tolerance} (parameter approx_tolerance), on top of their printed precision.",
    },
}


def sentence(key: str, lang: str, **fields) -> str:
    """A sentence in ``lang`` with its fields filled in (a missing field is a KeyError naming it)."""
    return SENTENCES[lang][key].format(**fields)


def heading(key: str, lang: str) -> str:
    """A column heading or interface word in ``lang``."""
    return HEADINGS[lang][key]


def glossary_frame(lang: str) -> pd.DataFrame:
    """The glossary: columns term_zh, term_en and explanation (a line in ``lang``)."""
    if lang not in HEADINGS:
        raise ValueError(f"unknown language {lang!r}; use 'zh' or 'en'")
    col = 2 if lang == "en" else 3
    return pd.DataFrame([(g[0], g[1], g[col]) for g in GLOSSARY], columns=["term_zh", "term_en", "explanation"])


# ---- city branch: labels of the relation kinds added for parts of a whole, printed shares and rates ----------
KIND_LABELS["zh"].update({"sum_of_parts": "部分相加", "printed_share": "复核公布的占比", "prior_share": "上年比重"})
KIND_LABELS["en"].update(
    {
        "sum_of_parts": "parts added up",
        "printed_share": "printed share recomputed",
        "prior_share": "share a year earlier",
    }
)

# ---- sources branch: where a figure comes from, in tables that list figures of several sources ----------------
HEADINGS["zh"].update({"source": "来源", "source_text": "原文"})
HEADINGS["en"].update({"source": "source", "source_text": "the source text"})
