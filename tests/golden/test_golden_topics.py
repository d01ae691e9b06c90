"""Narrative topics: set-asides for small enterprises are not the procurement total, and
vehicles held are not vehicles to buy. Values typed from sh-putuo-wanli-2024 p32
(其他相关情况说明, 三、政府采购预算情况 and 五、国有资产占有使用情况)."""

from __future__ import annotations

from decimal import Decimal

DOC = "sh-putuo-wanli-2024-bmys"


def _by_topic(processed):
    topics: dict[str, list] = {}
    for figure in processed[DOC].resources["narrative_figures"]:
        topics.setdefault(figure["topic"], []).append(figure["value"])
    return topics


def test_procurement_total_is_only_the_total(processed):
    topics = _by_topic(processed)
    assert topics["procurement_total"] == [Decimal("1662.44")]
    assert topics["procurement_goods"] == [Decimal("93.98")]
    assert topics["procurement_works"] == [Decimal("815.87")]
    assert topics["procurement_services"] == [Decimal("752.59")]
    assert topics["procurement_sme_reserved"] == [Decimal("664.98")]
    assert topics["procurement_small_micro_reserved"] == [Decimal("465.49")]


def test_vehicles_held_and_vehicles_to_buy_are_apart(processed):
    topics = _by_topic(processed)
    # 共有车辆7辆，其中…其他用车7辆 (7 by kind: six kinds at 0 and 其他用车 7)
    assert sorted(topics["vehicles_held"]) == [Decimal(0)] * 7 + [Decimal(7)] * 2
    # 安排购置车辆1辆，其中…其他用车1辆
    assert sorted(topics["vehicles_to_buy"]) == [Decimal(0)] * 7 + [Decimal(1)] * 2
    assert "vehicles" not in topics
