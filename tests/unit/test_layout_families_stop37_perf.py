"""Performance targets read right where stop 36 left them wrong (stop 37).

Tiny tables as the grid gives them (a merged cell's lower rows COVERED_ABOVE); the values are typed
from the rendered pages:
- 北京 审计局 预算表12 p.12: 项目名称 | 项目总额 | 其中：财政资金 | 其他资金 | 绩效目标 | 一级指标 …, two
  projects on the page (…460216 《北京审计》杂志办刊经费 17.398000, …460687 机动经费 10.000000).
- 北京 文旅局 预算表12 p.49: the name 11000022T000000446347-京剧院演出创排 printed on three lines that
  the grid read as three rows, 4,575.500000 | 3,079.480000 | 1,496.020000 on their own lines.
- 长沙 信访局 2026年项目支出绩效目标表 pp.22–23: 合计 417.41 and the unit's row 126001 长沙市信访局
  417.41 are no project; 基层及其他信访业务工作经费专项 35.78 is printed again at the top of p.23.
- 广州 政务服务和数据管理局 项目支出绩效目标表 p.1: 项目名称（资金使用单位） | 总计 | 财政拨款 | 财政专户拨款
  | 其他资金 | 绩效目标 | 绩效指标; 合计 and the department's own row are no project.
- 北京 审计局 预算13表 部门整体支出绩效目标表 p.20: 整体绩效目标 in the second column.
- 西安 民政局 2021 表14 p.79: 15个区县各类民政保障机构 is a sentence, not the value 15.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.core.model import COVERED_ABOVE, Origin, RawTable
from yusuan.interpret.performance import performance_table_to_rows
from yusuan.interpret.performance_list import performance_table_to_projects

U = COVERED_ABOVE


def _origin(page: int = 1, line: int = 1) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def _table(header: list[list[str]], body: list[list[str]], pages: list[int] | None = None, unit: str = "万元", table_id: str = "performance_target") -> RawTable:
    pages = pages or [1] * len(body)
    origins = [_origin(page, i + 1) for i, page in enumerate(pages)]
    return RawTable(table_id, "项目支出绩效目标表", "", unit, "", header, body, origins, [], _origin(pages[0]), 1)


BEIJING_HEADER = [
    ["项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指\n标性质", "本年绩效\n指标值", "绩效度\n量单位"],
    ["", "", "财政资金", "其他资金", "", "", "", "", "", "", ""],
]
JOURNAL_GOAL = "主要用于《北京审计》杂志印刷刊发，宣传展示审计工作成果、交流审计经验、探讨审计技术方法、教育培养审计人才，为北京审计事业的发展提供支撑和保障。"
RESERVE_GOAL = "解决市委、市政府确定的新增、临时、紧急事项，及时保障部门临时性紧急任务，服务部门稳定运行。"


def test_beijing_each_project_of_the_list_is_its_own_target_row() -> None:
    table = _table(
        BEIJING_HEADER,
        [
            ["11000022T000000460216-《北京审计》杂志办刊经费", "17.398000", "17.398000", "", JOURNAL_GOAL, "效益指标", "社会效益指标", "促进设计理论知识、技术方法、经验成果等方面的交流", "定性", "优", ""],
            [U, U, U, "", U, "产出指标", "质量指标", "印刷刊物质量与国家行业标准规定要求的相符性", "＝", "100", "%"],
            [U, U, U, "", U, "成本指标", "经济成本指标", "印刷刊物成本", "≤", "12.798", "万元"],
            ["11000022T000000460687-机动经费（北京市审计局）", "10.000000", "10.000000", "", RESERVE_GOAL, "成本指标", "经济成本指标", "成本控制率", "＝", "100", "%"],
            [U, U, U, "", U, "效益指标", "社会效益指标", "保障部门稳定运行", "定性", "优", ""],
        ],
        pages=[12, 12, 12, 12, 12],
    )
    projects = performance_table_to_projects(table, 3, "doc")
    assert [(p["project_number"], p["project_name"], p["funds_total_yuan"], p["funds_fiscal_yuan"], p["funds_other_yuan"], p["goal"], p["page"], p["line"]) for p, _i in projects] == [
        (3, "11000022T000000460216-《北京审计》杂志办刊经费", Decimal("173980.00"), Decimal("173980.00"), None, JOURNAL_GOAL, 12, 1),
        (4, "11000022T000000460687-机动经费（北京市审计局）", Decimal("100000.00"), Decimal("100000.00"), None, RESERVE_GOAL, 12, 4),
    ]
    assert [[(i["project_number"], i["level3"], i["target_printed"]) for i in indicators] for _p, indicators in projects] == [
        [(3, "促进设计理论知识、技术方法、经验成果等方面的交流", "优"), (3, "印刷刊物质量与国家行业标准规定要求的相符性", "100"), (3, "印刷刊物成本", "12.798")],
        [(4, "成本控制率", "100"), (4, "保障部门稳定运行", "优")],
    ]


def test_beijing_a_name_whose_lines_fell_into_rows_of_their_own_is_one_project() -> None:
    table = _table(
        BEIJING_HEADER,
        [
            ["11000022T000000446364-雅典中国文化中心运营", "308.600671", "308.600671", "", "目标1：筹建雅典中国文化中心", "产出指标", "时效指标", "活动实施时间", "≤", "11", "月"],
            [U, U, U, "", U, "效益指标", "社会效益指标", "文化活动参与人次", "≥", "1000", "人次"],
            ["11000022T0000004", "", "", "1,496.020000", "1.完成不少于计划演出场次，提高剧院演出质量和品质。", "效益指标", "经济效益指标", "演出收入", "≥", "2700", "万元"],
            ["46347-京剧院演出", "4,575.500000", "3,079.480000", "", "2.创作生产优秀艺术作品", "", "", "", "", "", ""],
            ["创排", "", "", "", "3.通过不同题材的剧目创作", "产出指标", "时效指标", "实施演出", "≤", "12", "月"],
        ],
        pages=[49] * 5,
    )
    projects = performance_table_to_projects(table, 1, "doc")
    assert [(p["project_name"], p["funds_total_yuan"], p["funds_fiscal_yuan"], p["funds_other_yuan"]) for p, _i in projects] == [
        ("11000022T000000446364-雅典中国文化中心运营", Decimal("3086006.71"), Decimal("3086006.71"), None),
        ("11000022T000000446347-京剧院演出创排", Decimal("45755000.00"), Decimal("30794800.00"), Decimal("14960200.00")),
    ]
    assert projects[1][0]["goal"] == "1.完成不少于计划演出场次，提高剧院演出质量和品质。2.创作生产优秀艺术作品3.通过不同题材的剧目创作"
    assert [i["level3"] for i in projects[1][1]] == ["演出收入", "实施演出"]


CHANGSHA_HEADER = [
    ["单位编码", "单位（项目）名称", "资金总额", "绩效目标", "绩效指标", "", "", "", "", "", "", "", ""],
    ["", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "指标值内容", "评（扣）分标准", "度量单位", "指标值类型", "备注"],
]
GRASSROOTS = "基层及其他信访业务工作经费专项"
GRASSROOTS_GOAL = "根据年终考核及综合评价情况，分档次将信访工作经费调拨至各区县（市），信访工作优秀市直单位，助推各单位提升信访工作成效。按规定及时将驻村工作经费调拨到位，确保乡村帮扶取得实效。"


def test_changsha_totals_are_no_project_and_a_project_printed_again_on_the_next_page_goes_on() -> None:
    table = _table(
        CHANGSHA_HEADER,
        [
            ["合计", "", "417.41", "", "", "", "", "", "", "", "", "", ""],
            ["126001", "长沙市信访局", "417.41", "", "", "", "", "", "", "", "", "", ""],
            ["126001", GRASSROOTS, "35.78", GRASSROOTS_GOAL, "成本指标", "经济成本指标", "总成本", "35.78", "不超过预算", "偏离目标40%及以上不得分", "万元", "≤", "20"],
            [U, U, U, U, "产出指标", "数量指标", "调拨经费单位数", "10", "调拨经费至信访业务相关单位数量", "高于10个得满分", "个", "≥", "10"],
            ["126001", GRASSROOTS, "35.78", GRASSROOTS_GOAL, "产出指标", "时效指标", "区县（市）信访事项及时受理率", "95", "市直单位信访事项及时受理率达95%以上", "", "%", "≥", "5"],
            [U, U, U, U, "满意度指标", "服务对象满意度指标", "群众满意度", "90", "群众评价满意的信访件数/参与评价件数", "", "%", "≥", "10"],
            ["", "人民来访接待中心及特护期运行专项", "10.22", "按时优质搞好来访接访中心设施设备维修", "成本指标", "经济成本指标", "总成本", "10.22", "不超过预算", "", "万元", "≤", "20"],
        ],
        pages=[22, 22, 22, 22, 23, 23, 23],
    )
    projects = performance_table_to_projects(table, 1, "doc")
    assert [(p["project_name"], p["funds_total_yuan"], p["goal"], p["page"], len(i)) for p, i in projects] == [
        (GRASSROOTS, Decimal("357800.00"), GRASSROOTS_GOAL, 22, 4),
        ("人民来访接待中心及特护期运行专项", Decimal("102200.00"), "按时优质搞好来访接访中心设施设备维修", 23, 1),
    ]
    assert [i["page"] for i in projects[0][1]] == [22, 22, 23, 23]


def test_guangzhou_funds_columns_and_no_project_for_the_total_or_the_department() -> None:
    table = _table(
        [["项目名称（资金使\n用单位）", "总计", "财政拨款", "财政专\n户拨款", "其他资\n金", "绩效目标", "绩效指标"]],
        [
            ["合计", "86,246.64", "86,246.64", "", "", "", ""],
            ["广州市政务服务和数据管理局", "16,926.32", "16,926.32", "", "", "", ""],
            ["政务信息化项目管理经费", "365.50", "365.50", "", "", "完成2026年度约400个全市信息化项目的立项", "1、1-产出指标；11-数量指标；立项\\终验审核数量"],
            ["电子政务工作项目", "30.11", "30.11", "", "", "为贯彻落实广州市《关于加快建设“12218“现代化产业体系的意见》", "1、1-产出指标；11-数量指标；业务场景构建支撑服务"],
        ],
    )
    projects = performance_table_to_projects(table, 1, "doc")
    assert [(p["project_name"], p["funds_total_yuan"], p["funds_fiscal_yuan"], p["funds_other_yuan"], p["unit_printed"]) for p, _i in projects] == [
        ("政务信息化项目管理经费", Decimal("3655000.00"), Decimal("3655000.00"), None, "万元"),
        ("电子政务工作项目", Decimal("301100.00"), Decimal("301100.00"), None, "万元"),
    ]


def test_hangzhou_two_units_with_one_project_name_are_two_projects() -> None:
    """杭州 公安局 表11: 日常保障运行 of 杭州市公安局 (28,772.44) and of its 交通管理支队 (8,296.51)."""
    table = _table(
        [["单位名称", "项目名称", "金额", "绩效目标"]],
        [
            ["杭州市公安局", "日常保障运行", "28,772.44", "做好公安信息化建设和信息系统维护保养"],
            ["杭州市公安局交通管理支队", "日常保障运行", "8,296.51", "根据公安交管工作日常运转保障需要"],
        ],
    )
    projects = performance_table_to_projects(table, 1, "doc")
    assert [(p["project_name"], p["funds_total_yuan"]) for p, _i in projects] == [("日常保障运行", Decimal("287724400.00")), ("日常保障运行", Decimal("82965100.00"))]


def test_a_table_of_one_project_is_still_one_target_row() -> None:
    """烟台 / 西安: 项目名称 is a key beside its value, the goal a row of its own."""
    table = _table(
        [["项目名称", "", "", "市民政局专项业务", "", ""]],
        [
            ["总体目标", "", "", "目标1：保障城乡低保对象、特困对象等正常生活，做到应保尽保；", "", ""],
            ["", "一级指标", "二级指标", "指标内容", "指标值", "备注"],
            ["", "产出指标", "数量指标", "保障各业民政机构积极为民政对象服务", "15个区县各类民政保障机构", ""],
        ],
    )
    [(project, indicators)] = performance_table_to_projects(table, 1, "doc")
    assert project["project_name"] == "市民政局专项业务"
    assert len(indicators) == 1


def test_beijing_department_goal_in_the_second_column() -> None:
    goal = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大和二十届历次全会精神"
    table = _table(
        [["部门名称", "", "北京市审计局", "", "", "", "", "", ""], ["总体资金情况（万元）", "", "预算支出总额", "财政拨款", "", "", "其他资金", "", ""]],
        [
            ["", "", "32,852.053832", "32,801.936639", "25,218.537585", "7,583.399054", "50.117193", "", "50.117193"],
            ["", "整体绩效目标", goal, "", "", "", "", "", ""],
            ["", "其他说明", "", "", "", "", "", "", ""],
            ["", "活动", "", "绩效指标", "", "指标性质", "指标值", "", "度量单位"],
            ["", "审计业务", "", "产出指标数量指标出具数据分析报告", "", "＝", "4", "", "份"],
            ["", "审计业务", "", "效益指标社会效益指标保障财政资金安全性和效益性", "", "定性", "优", "", ""],
            ["", "审计业务", "", "成本指标经济成本指标市内公务餐费控制标准", "", "≤", "50", "", "元"],
        ],
        table_id="department_performance_target",
    )
    project, indicators = performance_table_to_rows(table, 1, "doc")
    assert project["goal"] == goal
    # the three levels printed run together in 绩效指标 are taken apart (stop 36 left them in level3)
    assert [(i["level1"], i["level2"], i["level3"], i["comparator"], i["target_value"], i["target_unit"]) for i in indicators] == [
        ("产出指标", "数量指标", "出具数据分析报告", "=", Decimal("4"), "份"),
        ("效益指标", "社会效益指标", "保障财政资金安全性和效益性", "", None, ""),  # 定性 is no sign
        ("成本指标", "经济成本指标", "市内公务餐费控制标准", "≤", Decimal("50"), "元"),
    ]


def _target(printed: str) -> tuple:
    table = _table([["一级指标", "二级指标", "三级指标", "指标值"]], [["产出指标", "数量指标", "指标", printed]])
    _project, [indicator] = performance_table_to_rows(table, 1, "doc")
    return indicator["comparator"], indicator["target_value"], indicator["target_unit"]


def test_a_number_that_begins_a_sentence_is_no_target_value() -> None:
    assert _target("15个区县各类民政保障机构") == ("", None, "")  # 西安 民政局 2021 p.79
    assert _target("2026年9月25日前") == ("", None, "")  # 北京 绿化委 p.12: a date
    assert _target("1.完成年度工作任务") == ("", None, "")
    assert _target("≥30次；≥30篇；≥15次") == ("", None, "")  # several targets in one cell


def test_a_number_with_its_unit_is_still_a_target_value() -> None:
    assert _target("≥99%") == ("≥", Decimal("99"), "%")  # 西安 民政局 2021 p.79
    assert _target("24500万元") == ("", Decimal("24500"), "万元")
    assert _target("≤14元/m2/月") == ("≤", Decimal("14"), "元/m2/月")
    assert _target("=10010.89㎡") == ("=", Decimal("10010.89"), "m2")
    assert _target("12月底前") == ("", Decimal("12"), "月底前")


def test_guangzhou_indicators_listed_in_one_cell_are_rows_of_their_own() -> None:
    """广州 政务服务和数据管理局 p.1, 政务信息化项目管理经费: four numbered items in 绩效指标; the target is
    the 年度指标值 (the vocabulary's order), the codes 1- / 11- are no part of the levels."""
    listed = (
        "1、1-产出指标；11-数量指标；立项\\终验审核数量值；实施周期指标值:≥400个；年度指标值:≥400个。"
        "2、2-效益指标；21-经济效益；发布政务信息化项目管理规范文件；实施周期指标值:2份；年度指标值:2份。"
        "3、2-效益指标；22-社会效益；新增系统效能评估数；实施周期指标值:≥400个；年度指标值:≥400个。"
        "4、4-成本指标；41-经济成本指标；项目概算平均核减率；实施周期指标值:≥5%；年度指标值:≥5%。"
    )
    table = _table(
        [["项目名称（资金使\n用单位）", "总计", "财政拨款", "财政专\n户拨款", "其他资\n金", "绩效目标", "绩效指标"]],
        [["政务信息化项目管理经费", "365.50", "365.50", "", "", "完成2026年度约400个全市信息化项目的立项", listed]],
    )
    [(project, indicators)] = performance_table_to_projects(table, 1, "doc")
    assert [(i["project_number"], i["indicator_number"], i["level1"], i["level2"], i["level3"], i["target_printed"], i["comparator"], i["target_value"], i["target_unit"]) for i in indicators] == [
        (1, 1, "产出指标", "数量指标", "立项\\终验审核数量值", "≥400个", "≥", Decimal("400"), "个"),
        (1, 2, "效益指标", "经济效益", "发布政务信息化项目管理规范文件", "2份", "", Decimal("2"), "份"),
        (1, 3, "效益指标", "社会效益", "新增系统效能评估数", "≥400个", "≥", Decimal("400"), "个"),
        (1, 4, "成本指标", "经济成本指标", "项目概算平均核减率", "≥5%", "≥", Decimal("5"), "%"),
    ]


def test_guangzhou_the_year_value_is_the_target_where_the_period_value_differs() -> None:
    """广州 政务服务和数据管理局: 信用广州网站信用数据查询量, 实施周期指标值:10万次, 年度指标值:4万次."""
    cell = "1、1-产出指标；11-数量指标；信用广州网站信用数据查询量；实施周期指标值:10万次；年度指标值:4万次。"
    table = _table([["项目名称", "总计", "绩效目标", "绩效指标"]], [["信用广州", "100.00", "目标", cell]])
    [(_project, [indicator])] = performance_table_to_projects(table, 1, "doc")
    assert (indicator["target_printed"], indicator["target_value"], indicator["target_unit"]) == ("4万次", Decimal("4"), "万次")


def test_a_goal_under_a_row_of_labels_is_read_from_the_row_below() -> None:
    """北京 文旅局 p.175 基层文化建设共同事权转移支付资金绩效目标表: 年度总体目标 | 年度目标, the goal in the
    row below (stop 36 took the label 年度目标 for the goal)."""
    goal = "丰富群众文化活动。通过举办北京市基层公益性演出活动，发挥重大活动的引导作用，提升人民群众文化活动获得感；完善公共文化设施建设和发展。"
    table = _table(
        [["转移支付名称", "", "基层文化建设共同事权转移支付", "", "市级主管部门", "北京市委宣传部、北京市文化和旅游局、北京市文物局等", ""]],
        [
            ["资金情况（万元）", "", "年度金额：", "", "125803.0000", "", ""],
            ["年度总体目标", "年度目标", "", "", "", "", ""],
            [U, goal, "", "", "", "", ""],
            ["", "一级指标", "二级指标", "三级指标", "", "", "指标值"],
            ["", "产出指标", "数量指标", "首都市民系列文化活动", "", "", "全市数量≥1.6万场"],
        ],
    )
    project, indicators = performance_table_to_rows(table, 1, "doc")
    assert project["goal"] == goal
    assert [(i["level3"], i["target_printed"]) for i in indicators] == [("首都市民系列文化活动", "全市数量≥1.6万场")]


def test_a_goal_in_words_that_ends_in_the_word_goal_is_still_the_goal() -> None:
    """泉州 公安局 p.50 基层基础建设项目绩效目标表: 项目实施期目标 | …党和人民满意的工作目标."""
    goal = "进一步增强派出所实力、激发活力、提升战斗力。在更高水平上实现基础牢、出事少、治安好、党和人民满意的工作目标"
    table = _table(
        [["专项资金情况（万元）", "资金总额：", "190.00"]],
        [["", "财政拨款：", "190.00"], ["", "其他资金：", "0.00"], ["项目实施期目标", goal, ""], ["绩效目标指标", "一级指标", "二级指标", "三级指标", "目标值"]],
    )
    project, _indicators = performance_table_to_rows(table, 1, "doc")
    assert project["goal"] == goal
    assert project["funds_total_yuan"] == Decimal("1900000.00")
