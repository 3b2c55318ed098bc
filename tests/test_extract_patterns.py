"""One invented sentence per pattern of real reports (issue 12): traditional script, old layouts, signs, units,
qualifiers, non-figures, Chinese numerals, comparison years, headings, and the lexicon as data.

Every sentence is written for these tests about a fictional 云溪区; none is copied from a source text.
"""

from __future__ import annotations

import pytest

from helpers.drafting.extract import extract_non_figures, extract_text, section_starts
from helpers.drafting.extract import lexicon as lx


def rows(text: str, **kwargs) -> list[tuple[str, str, str]]:
    """(value, unit_zh, qualifier) of every draft row."""
    draft = extract_text(text, **kwargs)
    return list(zip(draft["value"], draft["unit_zh"], draft["qualifier"]))


def printed(text: str, **kwargs) -> list[str]:
    return list(extract_text(text, **kwargs)["printed"])


def reasons(text: str) -> list[tuple[str, str]]:
    nf = extract_non_figures(text)
    return list(zip(nf["text"], nf["reason"]))


# ---- traditional script ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("雲溪區財政收入135620萬元。", [("135620", "万元", "exact")]),
        ("雲溪區貸款餘額達到32.5億元。", [("32.5", "亿元", "exact")]),
        ("雲溪區增速提高1.2個百分點。", [("1.2", "个百分点", "exact")]),
        ("雲溪區新建廠房12萬平方米。", [("12", "万平方米", "exact")]),
        ("雲溪區糧食產量8.6萬噸。", [("8.6", "万吨", "exact")]),
        ("雲溪區播種面積3.1萬畝。", [("3.1", "万亩", "exact")]),
        ("雲溪區新增農戶260戶、企業45個。", [("260", "户", "exact"), ("45", "个", "exact")]),
        ("雲溪區引進項目投資5000萬元以上。", [("5000", "万元", "more_than")]),
        ("雲溪區預計完成投資約20億元。", [("20", "亿元", "approx")]),
    ],
)
def test_traditional_script_is_read_like_simplified(sentence, expected):
    assert rows(sentence) == expected


def test_the_fold_keeps_offsets_and_the_printed_text():
    text = "雲溪區財政收入135620萬元。"
    draft = extract_text(text)
    r = draft.iloc[0]
    assert text[r.char_start : r.char_end] == r.printed == "135620"
    assert r.base_value == 1356200000.0 and r.base_unit == "CNY"
    assert len(lx.fold(text)) == len(text)


def test_traditional_estimate_dates_and_qualifies():
    draft = extract_text("雲溪區預計全年實現增加值50億元。")
    assert list(draft["qualifier"]) == ["estimate"] and list(draft["period"]) == ["2022-01/2022-12"]


# ---- separators, signs --------------------------------------------------------------------------------------


def test_a_space_between_thousands_groups_before_a_unit():
    assert rows("云溪区登记文物46 215处。") == [("46215", "处", "exact")]
    assert printed("云溪区登记文物46 215处。") == ["46 215"]


def test_a_space_between_numbers_without_a_unit_keeps_them_apart():
    assert [v for v, _, _ in rows("云溪区编号12 345和6。")] == ["12", "345", "6"]


def test_a_middle_dot_as_decimal_point_in_older_texts():
    assert rows("云溪区人口增长2·6%。") == [("2.6", "%", "exact")]


def test_a_space_before_the_percent_sign():
    assert rows("云溪区生产总值增长 4.7 %。") == [("4.7", "%", "exact")]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [("云溪区出口增长-12.4%。", "-12.4"), ("云溪区出口[2]-5.1%。", "-5.1"), ("云溪区出口增长−3.0%。", "-3.0")],
)
def test_a_printed_minus_belongs_to_the_number(sentence, value):
    draft = extract_text(sentence)
    assert list(draft["value"]) == [value]
    assert draft["printed"].iloc[0][0] in "-−" and draft["base_value"].iloc[0] < 0


def test_a_dash_between_digits_is_not_a_minus():
    assert reasons("云溪区电话0531-1234。") == [("0531", "contact"), ("1234", "contact")]
    draft = extract_text("云溪区新建学校3-5所，每所补贴2万-3万元。")
    assert list(zip(draft["value"], draft["value_high"])) == [("3", "5"), ("2", "3")]


# ---- units --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "unit", "base_value", "base_unit"),
    [
        ("云溪区人口出生率为8.5‰。", "‰", 8.5, "per_mille"),
        ("云溪区马术队有马20匹。", "匹", 20.0, "count"),
        ("云溪区获得席位3席。", "席", 3.0, "count"),
        ("云溪区建成住宅楼12幢。", "幢", 12.0, "count"),
        ("云溪区设监测点位30点。", "点", 30.0, "count"),
    ],
)
def test_per_mille_and_measure_words(sentence, unit, base_value, base_unit):
    draft = extract_text(sentence)
    assert list(zip(draft["unit_zh"], draft["base_value"], draft["base_unit"])) == [(unit, base_value, base_unit)]


def test_the_parts_of_a_structure_that_sum_to_100_are_shares_in_percent():
    draft = extract_text("云溪区三次产业结构比为4.2:40.5:55.3。")
    assert list(zip(draft["value"], draft["unit_zh"], draft["measure"])) == [
        ("4.2", "%", "share_pct"),
        ("40.5", "%", "share_pct"),
        ("55.3", "%", "share_pct"),
    ]


def test_a_ratio_printed_with_the_ratio_sign_is_read_like_one_with_colons():
    draft = extract_text("云溪区三次产业比例由上年的13.72∶46.43∶39.85调整为12.36∶48.34∶39.3。")
    assert list(draft["unit_zh"]) == ["%"] * 6 and set(draft["measure"]) == {"share_pct"}


def test_the_parts_of_another_ratio_are_read_as_parts():
    draft = extract_text("云溪区师生比为1:12.5。")
    assert list(zip(draft["value"], draft["unit_zh"], draft["measure"])) == [
        ("1", "份", "other"),
        ("12.5", "份", "other"),
    ]


def test_a_list_of_bare_numbers_after_a_structure_cue_is_a_structure_in_percent():
    draft = extract_text("云溪区三次产业增加值结构为8.1、40.7和51.2。")
    assert list(zip(draft["value"], draft["unit_zh"], draft["measure"])) == [
        ("8.1", "%", "share_pct"),
        ("40.7", "%", "share_pct"),
        ("51.2", "%", "share_pct"),
    ]


def test_a_structure_list_that_does_not_sum_to_100_is_read_as_parts():
    draft = extract_text("云溪区三类用地构成为3、5、2。")
    assert list(zip(draft["unit_zh"], draft["measure"])) == [("份", "other")] * 3


def test_a_list_of_bare_numbers_without_a_structure_cue_stays_without_a_unit():
    assert [u for _, u, _ in rows("云溪区编号为12、30、58。")] == ["", "", ""]
    assert [u for _, u, _ in rows("云溪区产业结构优化，12、30、58。")] == ["", "", ""]


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("云溪区商品房平均售价9120元/平方米。", "元/平方米"),
        ("云溪区粮食单产405.5公斤/亩。", "公斤/亩"),
        ("云溪区河道平均流量8.6立方米/秒。", "立方米/秒"),
        ("云溪区护理补贴标准为15元/日。", "元/日"),
    ],
)
def test_a_unit_a_slash_and_a_unit_or_denominator_are_one_compound_unit(sentence, unit):
    draft = extract_text(sentence)
    assert list(zip(draft["unit_zh"], draft["measure"])) == [(unit, "rate")]


def test_a_slash_after_a_unit_without_a_denominator_is_not_part_of_it():
    assert [u for _, u, _ in rows("云溪区收入1.5亿元/同比增长3%。")] == ["亿元", "%"]


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("云溪区货物周转量98.2亿吨公里。", "亿吨公里"),
        ("云溪区集装箱吞吐量7.5万标箱。", "万标箱"),
        ("云溪区植树15.6万株。", "万株"),
        ("云溪区报告传染病37例。", "例"),
        ("云溪区年平均气温16.1℃。", "℃"),
        ("云溪区年降水量980.4毫米。", "毫米"),
        ("云溪区区域环境噪声均值54.1分贝。", "分贝"),
    ],
)
def test_units_of_transport_farming_health_and_climate_are_read(sentence, unit):
    assert [u for _, u, _ in rows(sentence)] == [unit]


def test_the_100_of_an_index_base_is_not_a_figure():
    text = "云溪区居民消费价格指数(上年=100)为102.1。"
    assert ("100", "index_base") in reasons(text)
    assert printed(text) == ["102.1"]


def test_a_100_after_an_equals_sign_that_is_not_an_index_base_is_kept_when_it_has_a_unit():
    assert printed("云溪区合格率=100%。") == ["100"]


def test_the_number_of_a_hotline_or_emergency_service_is_a_name():
    text = "云溪区12345热线受理诉求8.1万件,110接警3.2万起。"
    assert [(t, r) for t, r in reasons(text)] == [("12345", "name"), ("110", "name")]
    assert printed(text) == ["8.1", "3.2"]


def test_numbers_joined_by_times_or_plus_are_parts_of_a_name_and_a_plus_sign_is_not():
    text = "云溪区提供7×24小时服务,形成“1+3+N”格局,增长+4.2%。"
    assert [t for t, r in reasons(text) if r == "name"] == ["7", "24", "1", "3"]
    assert printed(text) == ["4.2"]


def test_a_number_after_letters_and_a_plus_sign_is_a_figure_when_a_unit_follows_it():
    assert rows("云溪区数字经济规模实现GDP+3%。") == [("3", "%", "exact")]
    assert reasons("云溪区打造“N+1”服务体系。") == [("1", "name")]


@pytest.mark.parametrize(
    ("sentence", "contacts"),
    [
        ("云溪区政务服务咨询电话：0531-86123456。", ["0531", "86123456"]),
        ("云溪区政务中心传真 (0531)86123457，邮编：250001。", ["0531", "86123457", "250001"]),
        ("云溪区办事指南另附0531-86123458。", ["0531", "86123458"]),
    ],
)
def test_phone_and_fax_numbers_and_postcodes_are_contacts_not_figures(sentence, contacts):
    assert [t for t, r in reasons(sentence) if r == "contact"] == contacts
    assert printed(sentence) == []


def test_a_number_after_a_contact_and_a_space_is_not_part_of_it():
    text = "云溪区政务中心电话：86123456 2022年新增企业860家。"
    assert [t for t, r in reasons(text) if r == "contact"] == ["86123456"]
    assert rows(text) == [("860", "家", "exact")]


def test_a_figure_about_telephones_is_still_a_figure():
    assert rows("云溪区固定电话用户15000户，手机普及率98%。") == [("15000", "户", "exact"), ("98", "%", "exact")]


def test_a_shopping_festival_named_by_its_date_is_an_event_name():
    assert ("11", "event_name") in reasons("云溪区“双11”期间网络零售额3.6亿元。")


def test_numbers_of_a_notes_list_are_list_numbers_not_figures():
    text = "注:1.本公报数据为初步数。2.部分数据因四舍五入存在误差。"
    assert reasons(text) == [("1", "ordinal"), ("2", "ordinal")]
    assert printed("云溪区增长3.1%。2.5万人受益。") == ["3.1", "2.5"]


def test_a_qualifier_with_a_linking_word_before_the_number_still_qualifies_it():
    assert rows("云溪区常住人口约为58.2万人,企业超过了1300家,不足为9万户。") == [
        ("58.2", "万人", "approx"),
        ("1300", "家", "more_than"),
        ("9", "万户", "at_most"),
    ]


def test_a_linking_word_after_a_word_that_only_ends_like_a_qualifier_does_not_qualify():
    assert rows("云溪区附近有12家,最近为15.2%。") == [("12", "家", "exact"), ("15.2", "%", "exact")]


def test_a_bare_number_after_qian_is_a_rank_and_one_with_a_unit_is_a_figure():
    assert reasons("云溪区排名进入全省前10,综合实力居前列。") == [("10", "ranking")]
    assert printed("云溪区前3个项目投资12亿元。") == ["3", "12"]


def test_a_table_s_units_printed_in_its_header_row_are_its_cells_units():
    text = (
        "表3 云溪区主要指标\n| 总量 (亿元) | 增长 （%） |\n地区生产总值 | 88.20 | 4.1 |\n工业增加值 | 30.05 | -2.3 |\n"
    )
    draft = extract_text(text)
    assert list(zip(draft["value"], draft["unit_zh"], draft["base_unit"])) == [
        ("88.20", "亿元", "CNY"),
        ("4.1", "%", "percent"),
        ("30.05", "亿元", "CNY"),
        ("-2.3", "%", "percent"),
    ]


def test_a_number_in_a_table_without_a_header_unit_keeps_no_unit():
    draft = extract_text("| 名称 | 数量 |\n甲 | 12 |\n")
    assert list(zip(draft["value"], draft["unit_zh"])) == [("12", "")]


def test_a_year_range_without_nian_in_a_chart_title_is_a_period():
    text = "图4:2018-2022云溪区地区生产总值及增速\n"
    assert extract_text(text).empty
    assert list(extract_non_figures(text)["reason"]) == ["table_label", "period_marker", "period_marker"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("云溪区每年接待研学游客2.5万～3万人。", ("2.5", "3", "万人")),
        ("云溪区每户补贴2万-3万元。", ("2", "3", "万元")),
        ("云溪区年产饲料5千-8千吨。", ("5", "8", "千吨")),
    ],
)
def test_a_range_with_the_magnitude_on_both_ends_takes_the_unit_after_the_high_end(sentence, expected):
    draft = extract_text(sentence)
    assert list(zip(draft["value"], draft["value_high"], draft["unit_zh"], draft["qualifier"])) == [
        (*expected, "range")
    ]


def test_a_range_of_years_followed_by_a_unit_stays_a_range():
    draft = extract_text("云溪区有1990-2000人参加。")
    assert list(zip(draft["value"], draft["unit_zh"], draft["qualifier"])) == [("1990", "人", "range")]


@pytest.mark.parametrize(
    ("sentence", "unit"),
    [
        ("云溪区变电容量126万千伏安。", "万千伏安"),
        ("云溪区全年用电量36.5亿千瓦小时。", "亿千瓦小时"),
        ("云溪区发电量5.2亿千瓦时。", "亿千瓦时"),
        ("云溪区迎来建区70周年。", "周年"),
    ],
)
def test_compound_units_are_read_whole(sentence, unit):
    assert [u for _, u, _ in rows(sentence)] == [unit]


def test_energy_is_not_power():
    draft = extract_text("云溪区全年用电量36.5亿千瓦小时。")
    assert draft["unit_zh"].iloc[0] != "亿千瓦"


# ---- qualifiers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", ["云溪区引进外资1.2亿美元，约合8.3亿元。", "云溪区引进外资约合人民币8.3亿元。"])
def test_yuehe_is_approximate(sentence):
    assert rows(sentence)[-1] == ("8.3", "亿元", "approx")


@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("云溪区拆除违建不足5处。", "at_most"),
        ("云溪区通勤时间30分钟以内。", "at_most"),
        ("云溪区新建学校3-5所。", "range"),
    ],
)
def test_qualifiers_the_schema_did_not_hold(sentence, qualifier):
    assert rows(sentence)[0][2] == qualifier


# ---- digits that are not figures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "token", "reason"),
    [
        ("云溪区生产总值增长5.1%[4]。", "4", "footnote"),
        ("云溪区生产总值增长5.1%［3］。", "3", "footnote"),
        ("发布时间：2019-03-08 09:41:27", "2019", "timestamp"),
        ("发布时间：2019-03-08 09:41:27", "41", "timestamp"),
        ("详见http://www.example.gov.cn/art/2019/3/8/art_123_456.html。", "456", "url"),
        ("云溪区破获“9·12”专案。", "12", "event_name"),
        ("云溪区主要指标见表1。", "1", "table_label"),
        ("云溪区历年变化见图2。", "2", "table_label"),
    ],
)
def test_digits_that_are_not_figures_get_their_reason(sentence, token, reason):
    assert (token, reason) in reasons(sentence)
    assert token not in printed(sentence)


def test_a_footnote_marker_touching_a_number_leaves_the_number():
    assert rows("云溪区生产总值增长5.1%[4]。") == [("5.1", "%", "exact")]


def test_a_timestamp_gives_no_figure_and_no_period():
    assert extract_text("发布时间：2019-03-08 09:41:27 云溪区新增企业860家。")["period"].tolist() == [""]


# ---- periods ------------------------------------------------------------------------------------------------


def test_a_comparison_year_does_not_date_the_figures_after_it():
    draft = extract_text("2022年云溪区生产总值比1980年增长3倍，达到520亿元。")
    assert list(draft["period"]) == ["2022-01/2022-12", "2022-01/2022-12"]
    assert ("1980", "comparison_year") in reasons("2022年云溪区生产总值比1980年增长3倍，达到520亿元。")


def test_a_period_word_added_to_the_lexicon_works_without_other_words():
    # 岁末 has none of the characters of the older period words: the pre-filter comes from the lexicon
    assert list(extract_text("岁末云溪区常住人口52万人。")["period"]) == ["2022-12-31/2022-12-31"]


# ---- Chinese numerals ---------------------------------------------------------------------------------------


def test_chinese_numeral_quantities_before_a_noun():
    assert rows("云溪区构建一核两翼三区格局。", chinese_numerals=True) == [
        ("1", "核", "exact"),
        ("2", "翼", "exact"),
        ("3", "区", "exact"),
    ]
    assert rows("云溪区连续五年获评先进。", chinese_numerals=True) == [("5", "年", "exact")]
    assert rows("云溪区经济总量翻了一番。", chinese_numerals=True) == [("1", "番", "exact")]


@pytest.mark.parametrize(
    "sentence",
    [
        "云溪区学习党的二十大精神。",
        "云溪区召开第十二次党代会。",
        "云溪区召开十二次党代会。",
        "云溪区三次产业协调发展。",
    ],
)
def test_chinese_numeral_ordinals_and_names_are_not_quantities(sentence):
    assert rows(sentence, chinese_numerals=True) == []


# ---- guesses ------------------------------------------------------------------------------------------------


def test_the_indicator_guess_keeps_a_trailing_pingjun():
    draft = extract_text("云溪区经济稳步回升，增速高于全市平均2.1个百分点。")
    assert draft["indicator_zh"].iloc[0] == "增速高于全市平均"


def test_sections_come_from_numbered_headings():
    text = "一、经济运行\n\n云溪区生产总值520亿元。\n\n二、社会事业\n\n云溪区新建学校3所。\n"
    assert list(extract_text(text)["section"]) == [1, 2]
    assert section_starts(text) == [text.index("一、"), text.index("二、")]


# ---- the lexicon is data ------------------------------------------------------------------------------------


def test_a_unit_added_as_one_row_is_read():
    """What the README shows: the row ``unit,英亩,英畝,continuous,40468564224/10000000,m2`` alone makes it readable."""
    draft = extract_text("云溪区购地12英亩。")
    assert list(zip(draft["value"], draft["unit_zh"], draft["base_unit"])) == [("12", "英亩", "m2")]
    assert draft["base_value"].iloc[0] == round(12 * 4046.8564224, 6)
    assert list(extract_text("雲溪區購地12英畝。")["unit_zh"]) == ["英亩"]  # its traditional form, from the same row


def test_a_bad_lexicon_row_names_the_row_and_field():
    header = "kind,word,traditional,meaning,scale,base_unit\n"
    with pytest.raises(lx.LexiconError, match=r"row 2: field scale"):
        lx.read_lexicon(header + "unit,垧,,continuous,many,m2\n")
    with pytest.raises(lx.LexiconError, match=r"row 2: field kind"):
        lx.read_lexicon(header + "colour,红,,,,\n")
    with pytest.raises(lx.LexiconError, match=r"row 2: field traditional"):
        lx.read_lexicon(header + "unit,万元,萬,continuous,10000,CNY\n")


# ---- found on the development set of real texts ---------------------------------------------------------------


def test_numbers_of_an_enumeration_share_the_unit_printed_after_the_last():
    assert rows("云溪区三个行业分别拉动增长1.5、0.8和0.2个百分点。") == [
        ("1.5", "个百分点", "exact"),
        ("0.8", "个百分点", "exact"),
        ("0.2", "个百分点", "exact"),
    ]


def test_a_ratio_is_figures_not_a_time_and_its_parts_share_a_qualifier():
    draft = extract_text("预计云溪区三次产业结构由12:48.5:39.5调整为10:45.5:44.5。")
    assert list(draft["value"]) == ["12", "48.5", "39.5", "10", "45.5", "44.5"]
    assert list(draft["qualifier"]) == ["exact"] * 3 + ["estimate"] * 3


def test_a_starting_level_after_cong_is_not_an_estimate():
    draft = extract_text("预计云溪区收入从2011年的52.3亿元增加到2016年的88亿元。")
    assert list(zip(draft["value"], draft["qualifier"])) == [("52.3", "exact"), ("88", "estimate")]


def test_a_concentration_unit_and_a_time_of_day():
    assert rows("云溪区细颗粒物浓度为31微克/立方米。") == [("31", "微克/立方米", "exact")]
    assert ("30", "timestamp") in reasons("云溪区于9:30召开会议。")


def test_a_long_list_of_bare_numbers_is_a_non_figure_list():
    text = "云溪区编号：" + "，".join(str(k) for k in range(1, 13)) + "。另有企业5家。"
    assert rows(text) == [("5", "家", "exact")]
    listed = [t for t, reason in reasons(text) if reason == "number_list"]
    assert listed == [str(k) for k in range(1, 13)]


def test_a_short_list_of_bare_numbers_stays_figures():
    assert [v for v, _, _ in rows("云溪区指数为1，2，3。")] == ["1", "2", "3"]
