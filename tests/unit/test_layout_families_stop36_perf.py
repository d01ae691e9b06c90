"""Performance indicators read into the fields their header names (stop 36): the columns of a
performance target table are chosen by the header words of its indicator row
(`vocabulary.yaml performance_columns`), not by taking the last four columns.

Tiny tables as printed; the values are typed from the rendered pages:
- 北京 审计局 预算表12 p.12 (eleven columns: 项目名称 … 绩效目标 | 一级指标 | 二级指标 | 三级指标 |
  绩效指标性质 | 本年绩效指标值 | 绩效度量单位): the comparator and the unit are columns of their own.
- 西安 审计局 表14 p.36: a 分值权重（90分） column after 指标值 is a score weight, never the target.
- 烟台 住建局 政策和项目预算绩效目标表 p.37 (printed p.36): 指标值 spans two ruled columns, the last one
  empty in every row.
- 长沙 信访局 2026年项目支出绩效目标表 p.22: 指标值 | 指标值内容 | 评（扣）分标准 | 度量单位 | 指标值类型 | 备注
  (≤ or 定性 in 指标值类型; the score in 备注).
- 广州 生态环境局 (department table): 实施周期指标值 | 年度指标值: the year's value is the budget's target.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.core.model import Origin, RawTable
from yusuan.interpret.performance import performance_table_to_rows


def _origin(page: int = 1, line: int = 1) -> Origin:
    return Origin("t.pdf", "0" * 64, page, line)


def _table(header: list[list[str]], body: list[list[str]]) -> RawTable:
    return RawTable("performance_target", "项目支出绩效目标表", "", "万元", "", header, body, [_origin(3, i + 1) for i in range(len(body))], [], _origin(3), 1)


def _indicators(table: RawTable) -> list[tuple]:
    _project, rows = performance_table_to_rows(table, 1, "doc")
    return [(r["level1"], r["level2"], r["level3"], r["target_printed"], r["comparator"], r["target_value"], r["target_unit"]) for r in rows]


def test_beijing_eleven_columns_comparator_value_and_unit_in_columns_of_their_own() -> None:
    table = _table(
        [
            ["项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指\n标性质", "本年绩效\n指标值", "绩效度\n量单位"],
            ["", "", "财政资金", "其他资金", "", "", "", "", "", "", ""],
        ],
        [
            ["11000022T000000460216-《北京审计》杂志办刊经费", "17.398000", "17.398000", "", "主要用于《北京审计》杂志印刷刊发", "效益指标", "社会效益指标", "促进设计理论知识、技术方法、经验成果等方面的交流", "定性", "优", ""],
            ["", "", "", "", "", "产出指标", "质量指标", "印刷刊物质量与国家行业标准规定要求的相符性", "＝", "100", "%"],
            ["", "", "", "", "", "产出指标", "数量指标", "每期印刷数量", "＝", "900", "册"],
            ["", "", "", "", "", "成本指标", "经济成本指标", "印刷刊物成本", "≤", "12.798", "万元"],
        ],
    )
    assert _indicators(table) == [
        ("效益指标", "社会效益指标", "促进设计理论知识、技术方法、经验成果等方面的交流", "优", "", None, ""),
        ("产出指标", "质量指标", "印刷刊物质量与国家行业标准规定要求的相符性", "100", "=", Decimal("100"), "%"),
        ("产出指标", "数量指标", "每期印刷数量", "900", "=", Decimal("900"), "册"),
        ("成本指标", "经济成本指标", "印刷刊物成本", "12.798", "≤", Decimal("12.798"), "万元"),
    ]


def test_xian_score_weight_after_the_value_is_never_the_target() -> None:
    table = _table(
        [["项目名称", "", "", "审计事务", "", ""]],
        [
            ["总体目标", "维护国家财经秩序，履行审计职责，促进廉政建设。", "", "", "", ""],
            ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "分值权重（90分）"],
            ["", "成本指标", "经济成本指标", "市内外勤经费标准（元/人/天）", "35", "8"],
            ["", "", "", "区县外勤经费标准（元/人/天）", "130", "8"],
            ["", "产出指标", "数量指标", "提交审计报告和信息（篇）", "≥150", "6"],
            ["", "", "质量指标", "被审计单位采纳审计建议率", "≥95%", "7"],
            ["", "效益指标", "经济效益指标", "促进财政增收节支", "≥10亿元", "15"],
        ],
    )
    assert _indicators(table) == [
        ("成本指标", "经济成本指标", "市内外勤经费标准(元/人/天)", "35", "", Decimal("35"), ""),
        ("成本指标", "经济成本指标", "区县外勤经费标准(元/人/天)", "130", "", Decimal("130"), ""),
        ("产出指标", "数量指标", "提交审计报告和信息(篇)", "≥150", "≥", Decimal("150"), ""),
        ("产出指标", "质量指标", "被审计单位采纳审计建议率", "≥95%", "≥", Decimal("95"), "%"),
        ("效益指标", "经济效益指标", "促进财政增收节支", "≥10亿元", "≥", Decimal("10"), "亿元"),
    ]


def test_yantai_value_spanning_an_empty_last_column() -> None:
    table = _table(
        [["项目名称", "", "", "城市更新城市体检", "", ""]],
        [
            ["", "一级指标", "二级指标", "三级指标", "指标值", ""],
            ["绩效指标", "成本指标", "经济成本", "项目总成本", "≤87.45万元", ""],
            ["绩效指标", "产出指标", "数量指标", "建设城市体检平台数量", "=1个", ""],
            ["绩效指标", "效益指标", "社会效益指标", "优化城市发展目标、补齐城市建设短板", "显著改善", ""],
            ["绩效指标", "满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", ""],
        ],
    )
    assert _indicators(table) == [
        ("成本指标", "经济成本", "项目总成本", "≤87.45万元", "≤", Decimal("87.45"), "万元"),
        ("产出指标", "数量指标", "建设城市体检平台数量", "=1个", "=", Decimal("1"), "个"),
        ("效益指标", "社会效益指标", "优化城市发展目标、补齐城市建设短板", "显著改善", "", None, ""),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "≥", Decimal("90"), "%"),
    ]


def test_changsha_scoring_rule_unit_type_and_note_columns() -> None:
    blank = [""] * 13
    table = _table(
        [
            ["单位编码", "单位（项目）名称", "资金总额", "绩效目标", "绩效指标", "", "", "", "", "", "", "", ""],
            ["", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "指标值内容", "评（扣）分标准", "度量单位", "指标值类型", "备注"],
        ],
        [
            ["合计", "", "417.41", *blank[3:]],
            ["126001", "长沙市信访局", "417.41", *blank[3:]],
            ["126001", "基层及其他信访业务工作经费专项", "35.78", "根据年终考核及综合评价情况", "成本指标", "经济成本指标", "总成本", "35.78", "不超过预算", "偏离目标40%及以上不得分", "万元", "≤", "20"],
            ["", "", "", "", "", "社会成本指标", "无", "无", "无", "无", "", "定性", ""],
        ],
    )
    assert _indicators(table) == [
        ("成本指标", "经济成本指标", "总成本", "35.78", "≤", Decimal("35.78"), "万元"),
        ("成本指标", "社会成本指标", "无", "无", "", None, ""),
    ]


def test_guangzhou_the_years_value_over_the_periods() -> None:
    table = _table(
        [["部门名称", "", "广州市生态环境局", "", "", "", ""]],
        [
            ["", "一级指标", "", "二级指标", "三级指标", "实施周期指标值", "年度指标值"],
            ["绩效指标", "产出指标", "", "数量指标", "国控入海河流水质优良率", "100%", "100%"],
            ["", "", "", "质量指标", "监测报告准确率", "≥95%", "≥95%"],
        ],
    )
    assert _indicators(table) == [
        ("产出指标", "数量指标", "国控入海河流水质优良率", "100%", "", Decimal("100"), "%"),
        ("产出指标", "质量指标", "监测报告准确率", "≥95%", "≥", Decimal("95"), "%"),
    ]


def test_a_header_that_names_no_indicator_column_keeps_the_position_rule() -> None:
    """一级指标 alone and unknown words beside it: the last four columns, as before."""
    table = _table(
        [],
        [
            ["一级指标", "甲", "乙", "丙"],
            ["产出指标", "数量指标", "会议次数", "≥2次"],
        ],
    )
    assert _indicators(table) == [("产出指标", "数量指标", "会议次数", "≥2次", "≥", Decimal("2"), "次")]


def test_the_indicator_columns_by_header_words() -> None:
    from yusuan.interpret.performance import indicator_columns

    assert indicator_columns(["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值", "分值权重(90分)"]) == {"level1": 1, "level2": 2, "level3": 3, "target": 5}
    assert indicator_columns(["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"]) == {"level3": 1, "comparator": 2, "target": 3, "unit": 4}


def test_chongqing_indicator_name_header_without_levels() -> None:
    """重庆 气象局 2026年部门整体绩效目标表 p.19: 绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位 |
    指标权重(%) | 是否核心, no 一级指标: the row naming the indicator and its target opens the indicators."""
    table = _table(
        [["当年整体绩效目标", "", "", "", "", "", ""]],
        [
            ["1.全力做好“十五五”规划编制", "", "", "", "", "", ""],
            ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"],
            ["", "气候预测准确率", "≥", "68", "%", "12", "是"],
            ["", "地面增雨作业次数", "≥", "65", "次/年", "13", "是"],
            ["", "确保市局各类气象业务及管理工作稳定持续运转", "=", "365", "天", "10", "是"],
        ],
    )
    assert _indicators(table) == [
        ("", "", "气候预测准确率", "68", "≥", Decimal("68"), "%"),
        ("", "", "地面增雨作业次数", "65", "≥", Decimal("65"), "次/年"),
        ("", "", "确保市局各类气象业务及管理工作稳定持续运转", "365", "=", Decimal("365"), "天"),
    ]


def test_beijing_department_table_activity_and_indicator_header() -> None:
    """北京 审计局 预算13表 部门整体支出绩效目标表 p.20: 活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位
    (the levels printed run together in 绩效指标)."""
    table = _table(
        [["部门名称", "", "北京市审计局", "", "", "", "", "", ""]],
        [
            ["", "活动", "", "绩效指标", "", "指标性质", "指标值", "", "度量单位"],
            ["", "审计业务", "", "产出指标数量指标出具数据分析报告", "", "＝", "4", "", "份"],
            ["", "审计业务", "", "产出指标数量指标处理企业审计领域审计项目财务数据", "", "≥", "1", "", "TB"],
        ],
    )
    assert _indicators(table) == [  # stop 37 takes the levels apart
        ("产出指标", "数量指标", "出具数据分析报告", "4", "=", Decimal("4"), "份"),
        ("产出指标", "数量指标", "处理企业审计领域审计项目财务数据", "1", "≥", Decimal("1"), "TB"),
    ]
