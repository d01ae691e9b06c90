"""Arithmetic within one table: row totals, code hierarchy, enumerated items, the two sides
of a summary table and the "三公" items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from yusuan.checks.engine import CheckRun, Row, Term, agrees
from yusuan.checks.select import Tables, row_side
from yusuan.core.numbers import CELL_MEMO
from yusuan.core.schemas import Registry, normalize_label
from yusuan.core.vocabulary import word
from yusuan.interpret.budget_units import names_a_period, organisation_key
from yusuan.interpret.hierarchy import repeats_row_above

THREE_PUBLIC_TABLE = "three_public_expenses"
# total measure -> its parts, as printed in the "三公" table (columns or rows)
THREE_PUBLIC_PARTS = {
    "three_public_total": ("outbound_travel", "official_vehicles", "official_reception"),
    "official_vehicles": ("vehicle_purchase", "vehicle_operation"),
}
OTHER_THAN_THREE_PUBLIC = ("meetings", "training", "operating_expenses")


def check_table(run: CheckRun, rows: list[Row], registry: Registry, tables: Tables) -> None:
    check_row_totals(run, rows, registry)
    check_code_hierarchy(run, rows)
    check_enumerated_items(run, rows)
    check_two_sides(run, rows)
    check_units_sum(run, rows, registry)
    if rows and rows[0]["table_id"] in registry.tables_read_as(THREE_PUBLIC_TABLE):
        check_three_public(run, rows, tables)


def check_row_totals(run: CheckRun, rows: list[Row], registry: Registry) -> None:
    """Within one row, total = Σ components (per side and column group).

    Which printed columns add up to a total is a convention of the layout: the national
    template adds 事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出 to 基本支出 + 项目支出,
    北京 and 深圳 print them beside as columns of which (其中). The table's own rows decide:
    of the readings "every component column", "the columns not under 其中" and "the
    expenditure types only" (``core_components``), the one under which fewest rows disagree
    is used, the fullest on a tie; the columns it leaves out are named in an info result.
    """
    cells: dict[tuple, dict[str, Row]] = defaultdict(dict)
    for row in rows:
        cells[(row["row_number"], row["side"], row["column_group"], row.get("period", "current"), row.get("phase", ""))][row["measure"]] = row
    comparisons: dict[tuple, list[tuple[Row, list[list[Row]]]]] = defaultdict(list)
    three_public_tables = registry.tables_read_as(THREE_PUBLIC_TABLE)
    # a cell's measure -> its components, expanded once per table; None for a measure without
    # components (most cells: the registry is not asked again for each, issue 14)
    expansions: dict[str, list[tuple[str, tuple[str, ...]]] | None] = {}
    for (_number, side, group, period, phase), by_measure in cells.items():
        for measure_id, total in by_measure.items():
            if total["table_id"] in three_public_tables and measure_id in THREE_PUBLIC_PARTS:
                continue  # the "三公" rule compares these, whether printed as columns or rows
            if measure_id in expansions:
                expansion = expansions[measure_id]
            else:
                measure = registry.measure_by_id(measure_id)
                expansion = expansions[measure_id] = _expansion(measure.components, registry) if measure is not None and measure.components else None
            if expansion is None:
                continue
            parts = _expanded_parts(expansion, by_measure)
            if len(parts) < 2:
                continue
            readings = [parts, [p for p in parts if not _under_of_which(p)], [p for p in parts if p["measure"] in registry.core_components]]
            comparisons[(side, group, period, phase, measure_id)].append((total, readings))
    for (_side, _group, _period, _phase, measure_id), found in comparisons.items():
        usable = [k for k in range(3) if all(len(readings[k]) >= 2 for _t, readings in found)]
        if not usable:
            continue
        best = _best_reading(found, usable, run.term_of)
        for total, readings in found:
            names = " + ".join(p["measure"] for p in readings[best])
            run.compare("row_total_equals_components", total, readings[best], f"{measure_id} = {names}")
        left_out = sorted({p["column_header"] for _t, readings in found for p in readings[0] if p not in readings[best]})
        if left_out:
            first = found[0][0]
            run.add(
                "row_total_equals_components", "failed", first,
                f"the table's rows add up without {', '.join(left_out)}: read as columns of which (其中), not parts of {measure_id}",
                severity="info", cluster=("of_which_columns", first["table_sequence"], measure_id),
            )


def _best_reading(found: list[tuple[Row, list[list[Row]]]], usable: list[int], term_of: Callable[[Row], Term | None]) -> int:
    """The usable reading under which fewest totals disagree with their parts, the fullest
    (the first) on a tie. When every usable reading takes the very cells of the first in
    every row (a table without 其中 columns, say), they tie: the first, without a comparison
    (issue 14: the totals were compared once to choose, and again under the reading chosen)."""
    first = usable[0]
    if all(_same_cells(readings[first], readings[k]) for k in usable[1:] for _t, readings in found):
        return first
    failures = _failures(found, usable, term_of)
    return min(usable, key=lambda k: (failures[k], k))


def _failures(found: list[tuple[Row, list[list[Row]]]], usable: list[int], term_of: Callable[[Row], Term | None] = Term.of) -> dict[int, int]:
    """How many totals disagree with their parts under each usable reading. A reading that
    takes the very cells of an earlier one in every row (no 其中 columns, say) has that
    reading's count: it is not summed again (issue 14). ``term_of`` reads a cell."""
    counts: dict[int, int] = {}
    for k in usable:
        same = next((j for j in counts if all(_same_cells(readings[j], readings[k]) for _t, readings in found)), None)
        counts[k] = counts[same] if same is not None else sum(not agrees(total, readings[k], term_of) for total, readings in found)
    return counts


def _same_cells(one: list[Row], other: list[Row]) -> bool:
    """The two lists hold the same row objects in the same order."""
    return len(one) == len(other) and all(a is b for a, b in zip(one, other, strict=True))


def _under_of_which(row: Row) -> bool:
    """The column is printed under a 其中 group header (北京: 其中 / 事业单位经营支出)."""
    return _header_under_of_which(row["column_header"])


@lru_cache(maxsize=CELL_MEMO)
def _header_under_of_which(header: str) -> bool:
    """_under_of_which of a column's header, remembered: every cell of the column asks, for
    each reading of its row's totals (issue 14)."""
    return any(normalize_label(part).rstrip(":：") == word("of_which") for part in header.split(" / ")[:-1])


def _expansion(components: tuple[str, ...], registry: Registry) -> list[tuple[str, tuple[str, ...]]]:
    """Each component with its own components (() when it has none): what the parts of a
    row need of the registry, asked once per table and total measure, not for every row
    (issue 14: 165,398 questions a pass)."""
    expansion = []
    for component in components:
        measure = registry.measure_by_id(component)
        expansion.append((component, tuple(measure.components) if measure is not None and measure.components else ()))
    return expansion


def _expanded_parts(expansion: list[tuple[str, tuple[str, ...]]], by_measure: dict[str, Row]) -> list[Row]:
    """The printed cells of a row's components; a component the row does not print is
    replaced by its own components where those are printed (杭州 prints 基本支出 only as its
    parts 人员支出 | 日常公用支出)."""
    parts = []
    for component, below in expansion:
        if component in by_measure:
            parts.append(by_measure[component])
        elif below:
            parts += [by_measure[c] for c in below if c in by_measure]
    return parts


def _by_column(rows: list[Row]) -> dict[int, list[Row]]:
    columns: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        columns[row["column_number"]].append(row)
    return columns


def check_code_hierarchy(run: CheckRun, rows: list[Row]) -> None:
    """类 = Σ款, 款 = Σ项 for codes printed in the table; total = Σ top-level codes. In a
    table that lists several budget units, codes add up within their unit, a unit's row is
    the sum of its top-level codes and the total the sum of all units' top-level codes."""
    structures: dict[tuple[tuple[int, str, bool], ...], CodeStructure] = {}  # the table's columns mostly print the same codes
    for column in _by_column(rows).values():
        coded = [r for r in column if r["subject_level"] and not r["is_of_which"]]
        if not coded:
            continue
        by_unit: dict[str, list[Row]] = defaultdict(list)
        for row in coded:
            by_unit[row.get("budget_unit", "")].append(row)
        # the budget units of the column's printed items without a code that hold an amount
        # beside the codes, and its subtotals without a code by unit: found in one pass over
        # the column, not one per unit (issue 14)
        uncoded_units = {r.get("budget_unit") for r in _uncoded_parts(column)}
        subtotals: dict[str | None, list[Row]] = defaultdict(list)
        for r in column:
            if r["row_role"] == "subtotal" and not r["subject_code"]:
                subtotals[r.get("budget_unit")].append(r)
        top: list[Row] = []
        for unit, unit_coded in by_unit.items():
            families, top_places = _code_structure(unit_coded, structures)
            for parent_place, child_places in families:
                parent = unit_coded[parent_place]
                run.compare("children_sum_to_parent", parent, [unit_coded[k] for k in child_places], f"{parent['subject_code']} = Σ its sub-codes")
            unit_top = [unit_coded[k] for k in top_places]
            top += unit_top
            if unit and unit not in uncoded_units:
                for subtotal in subtotals.get(unit, []):
                    run.compare("total_equals_top_level_rows", subtotal, unit_top, f"{unit} = Σ its top-level codes")
        # rows of the column without a code may be top-level rows too: then the codes alone
        # do not add up to the total (the enumerated items are compared instead)
        if uncoded_units:
            continue
        for total in (r for r in column if r["row_role"] == "total" and not r["subject_code"]):
            run.compare("total_equals_top_level_rows", total, top, "total = Σ top-level codes")


def _uncoded_parts(column: list[Row]) -> list[Row]:
    """The printed items of a column without a code that may hold an amount beside its coded
    rows, so that its total need not be the sum of its top-level codes. Not one:

    * a 其中 row, or an item printed empty or 0 (结转下年 0.00 under the function classes of a
      summary table's expenditure side): a part of nothing adds nothing to the sum;
    * a whole of coded rows, an ancestor of a coded row in the column's hierarchy (一、本年支出
      over the function classes, a budget unit's row over its codes, 工资和福利支出 over its
      30101 …): its amount is held by the coded rows below it, which the sum takes.
    """
    by_number = {r["row_number"]: r for r in column}
    wholes: set[int] = set()
    for row in column:
        if not row["subject_code"]:
            continue
        parent = row.get("parent_row_number")
        while parent is not None and parent not in wholes and parent in by_number:
            wholes.add(parent)
            parent = by_number[parent].get("parent_row_number")
    return [
        r for r in column
        if r["row_role"] == "item" and not r["subject_code"] and not r["is_of_which"] and r["amount"] is not None and r["amount"] != 0 and r["row_number"] not in wholes
    ]


# (place of each printed parent with the places of its sub-codes, in print order; the
# places of the rows without an ancestor): :func:`_children_in_print_order` and the top-level
# rows of a list of coded rows, by their places in the list
CodeStructure = tuple[list[tuple[int, list[int]]], list[int]]


def _code_structure(rows: list[Row], structures: dict[tuple[tuple[int, str, bool], ...], CodeStructure]) -> CodeStructure:
    """The parents, sub-codes and top-level rows of ``rows`` by place, found once for each
    (row number, code) sequence of a table (``structures``): they depend on these alone, and
    a table's amount columns mostly print the same coded rows (issue 14)."""
    shape = tuple([(r["row_number"], r["subject_code"], _printed_again(rows, k)) for k, r in enumerate(rows)])
    found = structures.get(shape)
    if found is None:
        found = structures[shape] = _structure_of(shape)
    return found


def _printed_again(rows: list[Row], k: int) -> bool:
    """Does ``rows[k]`` print again the row printed just above it (:func:`repeats_row_above`)?
    The rows are in print order here (``_by_column`` keeps the amounts' order)."""
    return k > 0 and rows[k]["subject_code"] == rows[k - 1]["subject_code"] and repeats_row_above(rows[k], rows[k - 1])


def _structure_of(shape: tuple[tuple[int, str, bool], ...]) -> CodeStructure:
    """:func:`_code_structure` of one (row number, code, printed again) sequence, as
    :func:`_children_in_print_order` and :func:`_has_ancestor` find it of the rows."""
    order = sorted(range(len(shape)), key=lambda k: shape[k][0])  # stable, as the rows are sorted
    latest: dict[str, int] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for index, place in enumerate(order):
        code = shape[place][1]
        if index and shape[place][2]:
            children[index - 1].append(place)  # the row above printed again: its only part
            continue
        parent = parent_code(code)
        if parent in latest:
            children[latest[parent]].append(place)
        latest[code] = index
    codes = {code for _number, code, _again in shape}
    top = [place for place, (_number, code, again) in enumerate(shape) if not again and not _has_ancestor(code, codes)]
    return [(order[index], places) for index, places in sorted(children.items())], top


def _children_in_print_order(rows: list[Row]) -> list[tuple[Row, list[Row]]]:
    """Each printed parent with its sub-codes: a code's parent is the nearest row above it
    with the parent code, so a code printed twice (302 under 502 and again under 505, the
    government class beside it) has its own children each time. A code printed again on the
    very next line with the same name and amount is that line's only sub-line (无锡: a 款
    without 项 repeats itself on the 项 line), not a second child of the code above."""
    latest: dict[str, int] = {}
    children: dict[int, list[Row]] = defaultdict(list)
    ordered = sorted(rows, key=lambda r: r["row_number"])
    for index, row in enumerate(ordered):
        if index and ordered[index - 1]["subject_code"] == row["subject_code"] and repeats_row_above(row, ordered[index - 1]):
            children[index - 1].append(row)  # the row above printed again: a 款's only 项 printed with the 款's code
            continue
        parent = parent_code(row["subject_code"])
        if parent in latest:
            children[latest[parent]].append(row)
        latest[row["subject_code"]] = index
    return [(ordered[i], kids) for i, kids in sorted(children.items())]


def parent_code(code: str) -> str:
    return code[:-2] if len(code) in (5, 7) else ""


def _has_ancestor(code: str, codes: set[str]) -> bool:
    parent = parent_code(code)
    while parent:
        if parent in codes:
            return True
        parent = parent_code(parent)
    return False


def _label_groups(rows: list[Row]) -> dict[tuple, list[Row]]:
    """Rows of one amount column without codes, in order (a side/group of a summary table)."""
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["row_number"]):
        if not row["subject_code"] or row.get("subject_code_source") == "inferred_from_name":
            groups[(row["column_number"],)].append(row)
    return groups


def check_enumerated_items(run: CheckRun, rows: list[Row]) -> None:
    """一、 = Σ its sub-items; before the subtotal (or total), Σ 一、二、… = subtotal;
    total = subtotal + the rows printed between them."""
    for column in _label_groups(rows).values():
        items = [r for r in column if r["item_level"] and not r["is_of_which"]]
        if not items:
            continue
        top_level = min(r["item_level"] for r in items)
        for index, parent in enumerate(column):
            if parent["item_level"] != top_level or parent["is_of_which"]:
                continue
            children = []
            child_level = None  # the shallowest level below the parent's in the rows after it, found at first need
            for row in column[index + 1 :]:
                if row["is_of_which"]:
                    continue  # 其中：… of the row above, not a sibling that ends the list
                if row["item_level"] <= top_level:
                    break
                if child_level is None:
                    child_level = min(r["item_level"] for r in column[index + 1 :] if r["item_level"] > top_level)
                if row["item_level"] == child_level:
                    children.append(row)
            if children:
                run.compare("enumerated_children_sum_to_parent", parent, children, f"{parent['item_name']} = Σ its sub-items")
        first_sum = next((r for r in column if r["row_role"] in ("subtotal", "total")), None)
        if first_sum is None:
            continue
        tops = [r for r in column if r["item_level"] == top_level and not r["is_of_which"] and r["row_number"] < first_sum["row_number"]]
        if not tops:  # the total is printed first, above its items
            after = [r for r in column if r["row_number"] > first_sum["row_number"]]
            if first_sum["item_level"]:  # 一、本年支出合计 above its rows, then 二、年终结转结余
                tops = _parts_below(first_sum, after)
            else:
                end = next((r["row_number"] for r in after if r["row_role"] != "item"), None)
                tops = [r for r in after if r["item_level"] == top_level and not r["is_of_which"] and (end is None or r["row_number"] < end)]
        if tops or not first_sum["item_level"]:  # an enumerated sum whose parts are not known is not compared
            run.compare("total_equals_top_level_rows", first_sum, tops, f"{first_sum['item_name']} = Σ top-level items")
        if first_sum["row_role"] == "subtotal":
            total = next((r for r in column if r["row_role"] == "total" and r["row_number"] > first_sum["row_number"]), None)
            if total is not None:
                between = [r for r in column if first_sum["row_number"] < r["row_number"] < total["row_number"] and r["row_role"] == "item" and not r["is_of_which"]]
                if between:  # 上年结转结余 and its breakdown (一、一般公共预算拨款 …): the outermost rows only,
                    # the siblings of an enumerated subtotal (一、本年支出合计 … 二、年终结转结余)
                    outer = first_sum["item_level"] or min(r["item_level"] for r in between)
                    between = [r for r in between if r["item_level"] == outer]
                run.compare("total_equals_subtotal_plus_balances", total, [first_sum, *between], f"{total['item_name']} = {first_sum['item_name']} + the rows between")


def _parts_below(enumerated_sum: Row, after: list[Row]) -> list[Row]:
    """The parts of an enumerated sum printed above them (杭州's 财政拨款收支总表: 一、本年支出合计,
    then the classes, 款 and 项 by name, then 二、年终结转结余): the rows below it down to the
    next row of its level or above, or the next total. Where they carry codes (printed or
    inferred from their names) the parts are the top-level codes; where none does, the rows
    of the shallowest enumeration level among them. Its siblings (二、…) are not its parts."""
    below: list[Row] = []
    for row in after:
        if row["row_role"] != "item" or 0 < row["item_level"] <= enumerated_sum["item_level"]:
            break
        if not row["is_of_which"]:
            below.append(row)
    if not below:
        return []
    if all(r["subject_level"] for r in below):
        codes = {r["subject_code"] for r in below}
        return [r for r in below if not _has_ancestor(r["subject_code"], codes)]
    if any(r["subject_code"] for r in below):
        return []  # codes for some rows only: which rows are parts is not known, not compared
    level = min(r["item_level"] for r in below)
    return [r for r in below if r["item_level"] == level]


def check_two_sides(run: CheckRun, rows: list[Row]) -> None:
    """Total revenue = total expenditure in a two-sided table (收入总计 | 支出总计). The
    side is asked of the printed totals only, not of every row twice (issue 14)."""
    printed_totals = [r for r in rows if r["row_role"] == "total" and r["amount"] is not None]
    totals = {
        side: sorted(
            (r for r in printed_totals if row_side(r) == side),
            key=lambda r: (r["measure"] == "total", r["row_number"]),
        )
        for side in ("revenue", "expenditure")
    }
    if totals["revenue"] and totals["expenditure"]:
        revenue = totals["revenue"][-1]  # the last grand total; a 合计 column before its parts
        expenditure = totals["expenditure"][-1]
        run.compare("revenue_equals_expenditure", revenue, [expenditure], "total revenue = total expenditure", structural=False)


def check_units_sum(run: CheckRun, rows: list[Row], registry: Registry) -> None:
    """A table that lists budget units (``budget_unit``, yusuan/interpret/budget_units.py):
    in each amount column, the table's total (合计) or the department's row equals the sum of
    the units' own rows — a unit's row, not the codes or items printed under it.

    A unit's own rows are the rows labelled with its name; a unit printed on its first year
    only (深圳 三公: 预算单位 | 2025 年, then 2026 年 | 增减变化金额 under it) has one own row per
    period, its leading rows named by a period, and only rows of the same period are
    compared. The department's row is the first unit's when a later unit bears its name
    again (杭州 收入总表: 杭州市公安局 twice, the second its 本级) or with a （本级） suffix (深圳:
    深圳市生态环境局, then 深圳市生态环境局（本级））, or when it is the table's total (no 合计
    printed), or when it prints the 合计's figures in every column while other units print
    amounts (湖州: 退役军人事务局 under 合计, then 湖州市退役军人事务局 …); then 合计 = department
    row and department row = Σ the other units. Otherwise (杭州 三公: 合计, then 杭州市公安局
    and its units) 合计 = Σ every unit.

    Not compared: a table with fewer than two units besides the department; a table in which
    some unit has no row of its own (a project table listing the unit beside each project);
    one in which a unit has more own rows of one period than its layout allows; a column in
    which the total is printed on more than one row of the period (which is the total is not
    known). Cells are compared only with cells of the same column, measure, side, column group,
    period and phase."""
    unit_order: list[str] = []
    numbers_of: dict[str, list[int]] = defaultdict(list)
    first_row: dict[int, Row] = {}
    for row in rows:
        first_row.setdefault(row["row_number"], row)
    for number in sorted(first_row):
        unit = first_row[number].get("budget_unit") or ""
        if unit:
            if unit not in numbers_of:
                unit_order.append(unit)
            numbers_of[unit].append(number)
    if len(unit_order) < 2:
        return
    heads: dict[str, list[int]] = {}
    for unit in unit_order:
        own = _own_rows(unit, numbers_of[unit], first_row, registry)
        if not own:
            return  # a unit without a row of its own (listed beside its projects): no unit totals
        heads[unit] = own
    first = unit_order[0]
    repeated = _named_twice(first, heads[first], first_row)
    department = (
        repeated
        or organisation_key(first) == organisation_key(unit_order[1])
        or any(first_row[n]["row_role"] == "total" for n in heads[first])
        or _prints_the_total(rows, heads, first)
    )
    if len(unit_order) - (department and not repeated) < 2:
        return  # fewer than two units besides the department (深圳's project table: the department and its 本级, the other units read as items)
    unit_of = {n: unit for unit, own in heads.items() for n in own}
    columns: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        if not row["is_of_which"]:
            columns[(row["column_number"], row["measure"], row["side"], row["column_group"], row.get("period", "current"), row.get("phase", ""))].append(row)
    comparisons: list[tuple[Row | None, Row | None, list[Row]]] = []
    for cells in columns.values():
        cells.sort(key=lambda r: r["row_number"])
        totals = [r for r in cells if r["row_role"] == "total" and r["row_number"] not in unit_of]
        if len(totals) > 1:
            continue  # which row is the table's total is not known
        entries: dict[str, list[Row]] = defaultdict(list)
        for row in cells:
            if row["row_number"] in unit_of:
                entries[unit_of[row["row_number"]]].append(row)
        if any(len(found) > (2 if repeated and unit == first else 1) for unit, found in entries.items()):
            return  # more own rows of one period than the layout allows: the reading is in doubt
        head = None
        if department:
            if len(entries.get(first, [])) != (2 if repeated else 1):
                continue  # the department's row is not printed in this column and period
            head = entries[first][0]
        parts = [r for unit in unit_order for r in entries.get(unit, []) if r is not head]
        if len(parts) >= 2 and (head is not None or totals):
            comparisons.append((totals[0] if totals else None, head, parts))
    for total, head, parts in comparisons:
        if head is None:
            run.compare("units_sum_to_total", total, parts, f"{_name(total)} = Σ the {len(parts)} units' rows")
            continue
        if total is not None:
            run.compare("units_sum_to_total", total, [head], f"{_name(total)} = the department's row {_name(head)}", structural=False)
        run.compare("units_sum_to_total", head, parts, f"the department's row {_name(head)} = Σ its {len(parts)} units' rows")


def _prints_the_total(rows: list[Row], heads: dict[str, list[int]], first: str) -> bool:
    """The first unit's one row prints the figures of the table's one total row (合计) in every
    amount column, and some other unit prints an amount: it is the department's row under
    another name than its 本级's (湖州 收入总表: 合计 6256.31, 退役军人事务局 6256.31, then
    湖州市退役军人事务局 2604.42 …), not a unit that makes up the whole table."""
    if len(heads[first]) != 1:
        return False
    own = heads[first][0]
    others = {n for unit, numbers in heads.items() if unit != first for n in numbers}
    totals = {r["row_number"] for r in rows if r["row_role"] == "total" and r["row_number"] != own and r["row_number"] not in others}
    if len(totals) != 1:
        return False
    (total,) = totals
    figures: dict[int, dict[tuple, Decimal]] = {own: {}, total: {}}
    others_print = False
    for row in rows:
        number = row["row_number"]
        if number in figures and row["amount"] is not None:
            figures[number][(row["column_number"], row.get("period", "current"))] = row["amount"]
        elif number in others and row["amount"]:
            others_print = True
    zero = Decimal(0)
    keys = figures[own].keys() | figures[total].keys()
    return others_print and any(figures[own].values()) and all(figures[own].get(k, zero) == figures[total].get(k, zero) for k in keys)


def _named_twice(unit: str, numbers: list[int], first_row: dict[int, Row]) -> bool:
    """The unit's name labels two of its rows (杭州 收入总表: 杭州市公安局, the department, then
    杭州市公安局, its 本级, printed under it)."""
    key = organisation_key(unit)
    return sum(organisation_key(first_row[n]["item_name_printed"] or "") == key for n in numbers) == 2


def _own_rows(unit: str, numbers: list[int], first_row: dict[int, Row], registry: Registry) -> list[int]:
    """The unit's own rows: those labelled with its name, else its leading rows named by a
    period (one a period); [] when it has neither."""
    key = organisation_key(unit)
    named = [n for n in numbers if organisation_key(first_row[n]["item_name_printed"] or "") == key]
    if named:
        return named
    leading = []
    for n in numbers:
        if not names_a_period(first_row[n]["item_name_printed"] or "", registry):
            break
        leading.append(n)
    return leading


def _name(row: Row) -> str:
    """A row as a message names it: its label, with its unit when the label is not the unit's
    name (深圳 三公: 深圳市生态环境局 2026年)."""
    label = row.get("item_name_printed") or f"row {row['row_number']}"
    unit = row.get("budget_unit") or ""
    return label if not unit or organisation_key(label) == organisation_key(unit) else f"{unit} {label}"


def check_three_public(run: CheckRun, rows: list[Row], tables: Tables) -> None:
    """"三公" total = 因公出国 + 公务用车 + 公务接待; 公务用车 = 购置 + 运行 — whether the
    items are printed as columns (one row) or as rows (one amount column)."""
    groups: list[dict[str, Row]] = []
    by_row: dict[tuple, dict[str, Row]] = defaultdict(dict)
    for row in rows:
        if row["measure"] in (*THREE_PUBLIC_PARTS, *THREE_PUBLIC_PARTS["three_public_total"], *THREE_PUBLIC_PARTS["official_vehicles"]):
            by_row[(row["row_number"], row["side"], row["column_group"], row.get("period", "current"), row.get("phase", ""))].setdefault(row["measure"], row)
    groups += [g for g in by_row.values() if len(g) > 1]
    # items printed as rows whose cells already carry the item's measure (a published
    # package, yusuan/interpret/three_public.py): one group per amount column
    by_column: dict[tuple, dict[str, Row]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: r["row_number"]):
        if row["measure"] in (*THREE_PUBLIC_PARTS, *THREE_PUBLIC_PARTS["three_public_total"], *THREE_PUBLIC_PARTS["official_vehicles"]):
            by_column[(row["column_number"], row["side"], row["column_group"], row.get("period", "current"), row.get("phase", ""))].setdefault(row["measure"], row)
    groups += [g for g in by_column.values() if len({r["row_number"] for r in g.values()}) > 1]
    for column in _by_column([r for r in rows if r["measure"] == "total"]).values():
        named: dict[str, Row] = {}
        for row in sorted(column, key=lambda r: r["row_number"]):
            measure = tables.row_measure(row)
            if measure and measure != "total":
                named.setdefault(measure, row)
        if not named:
            continue
        if "three_public_total" not in named and not any(m in named for m in OTHER_THAN_THREE_PUBLIC):
            total = next((r for r in column if r["row_role"] == "total"), None)
            if total is not None:
                named["three_public_total"] = total  # a table of the three items only: its 合计
        groups.append(named)
    for cells in groups:
        for total_measure, part_measures in THREE_PUBLIC_PARTS.items():
            total = cells.get(total_measure)
            parts = [cells[m] for m in part_measures if m in cells]
            if total is not None and parts:
                names = " + ".join(part_measures)
                run.compare("three_public_total_equals_items", total, parts, f"{total_measure} = {names}")
