"""Scheme formulas as data: a small typed spec (JSON), validated on save, evaluated by one pure function.

A formula never becomes code. Each spec is a dict with a ``type``:

- ``fixed``            ``{"type": "fixed", "amount": "10000"}``
- ``per_member_above`` ``{"type": "per_member_above", "base": "2000", "threshold": 25, "per_member": "20"}``
  (optional ``cap``): base for up to ``threshold`` members, ``per_member`` more for each member above.
- ``cost_share``       ``{"type": "cost_share", "rate": "0.60", "cap": "100000"}``: at most rate × cost, at most cap.
- ``per_person_month`` ``{"type": "per_person_month", "rate": "300"}`` (optional ``max_months``): rate × persons × months.
- ``banded``           ``{"type": "banded", "bands": [{"key": "senior", "label": "高级工", "min": "1600", "max": "2000"}]}``:
  the input ``level`` picks a band; the reviewer picks within it.
- ``range``            ``{"type": "range", "min": "10000", "max": "40000"}``: the reviewer picks within the bounds.
- ``sum``              ``{"type": "sum", "parts": [{"label": "津贴", "formula": {...}}, ...]}``.

``evaluate(spec, inputs)`` returns a Quote: the bounds (minimum, maximum) the reviewer approves within, and the
working, line by line, in Chinese. Inputs: ``members`` (int), ``cost`` (元), ``persons`` (int), ``months`` (int),
``level`` (band key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gonghui.core.errors import DomainError
from gonghui.core.money import to_fen, yuan

TYPES = {
    "fixed": "固定金额",
    "per_member_above": "按会员人数（超出部分按人递增）",
    "cost_share": "按项目费用比例（封顶）",
    "per_person_month": "按人按月",
    "banded": "按等级区间",
    "range": "区间内由审核人确定",
    "sum": "多项合计",
}
INPUT_LABELS = {
    "members": "会员人数",
    "cost": "项目费用（元）",
    "persons": "人数",
    "months": "月数",
    "level": "等级",
}
# Where a per-person formula's head count comes from when the system knows it (never typed then).
PERSON_SOURCES = {"part_time_chairs": "兼职主席、副主席（工会干部岗位）"}
MAX_AMOUNT = Decimal("1000000000")  # 10亿: nothing a scheme pays is larger; typos are


class FormulaError(DomainError):
    code = "formula_invalid"


class InputError(DomainError):
    code = "quote_input_invalid"


@dataclass
class Quote:
    minimum: Decimal
    maximum: Decimal
    lines: list[str] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)

    @property
    def is_exact(self) -> bool:
        return self.minimum == self.maximum

    def as_dict(self) -> dict:
        return {
            "minimum": str(self.minimum),
            "maximum": str(self.maximum),
            "lines": list(self.lines),
            "inputs": dict(self.inputs),
        }


def percent(rate) -> str:
    return f"{(Decimal(rate) * 100).normalize():f}"


# --- validation ------------------------------------------------------------------------------------


def _money(spec: dict, key: str, where: str, *, allow_zero: bool = False) -> str:
    raw = spec.get(key)
    if isinstance(raw, bool) or raw is None or isinstance(raw, float | list | dict):
        raise FormulaError(
            f'公式 {where}.{key} 应为金额（如 "2000" 或 "2000.50"）', field=f"formula.{where}.{key}"
        )
    try:
        value = to_fen(str(raw))
    except (ValueError, TypeError):
        raise FormulaError(
            f"公式 {where}.{key} 不是有效金额：{raw}", field=f"formula.{where}.{key}"
        ) from None
    if value < 0 or (value == 0 and not allow_zero) or value > MAX_AMOUNT:
        raise FormulaError(
            f"公式 {where}.{key} 应大于 0 且不超过 10 亿元，现为 {raw}", field=f"formula.{where}.{key}"
        )
    return str(value)


def _count(spec: dict, key: str, where: str, *, required: bool = True) -> int | None:
    raw = spec.get(key)
    if raw is None and not required:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1 or raw > 1_000_000:
        raise FormulaError(f"公式 {where}.{key} 应为正整数", field=f"formula.{where}.{key}")
    return raw


def _rate(spec: dict, key: str, where: str) -> str:
    raw = spec.get(key)
    try:
        value = Decimal(str(raw)) if raw is not None and not isinstance(raw, bool | float) else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not (0 < value <= 1):
        raise FormulaError(
            f'公式 {where}.{key} 应为 0 到 1 之间的比例（如 "0.60" 表示 60%）', field=f"formula.{where}.{key}"
        )
    return str(value)


def validate(spec, where: str = "") -> dict:
    """The clean spec, or a FormulaError naming the field and the fix."""
    where = where or "formula"
    label = where.removeprefix("formula").lstrip(".") or "type"
    if not isinstance(spec, dict):
        raise FormulaError('公式应为 JSON 对象，如 {"type": "fixed", "amount": "2000"}', field=where)
    kind = spec.get("type")
    if kind not in TYPES:
        raise FormulaError(
            f"公式类型 {kind!r} 无效，可选：{'、'.join(TYPES)}",
            field=f"{where}.type" if label else "formula.type",
        )
    w = where.removeprefix("formula").lstrip(".") or kind
    if kind == "fixed":
        return {"type": kind, "amount": _money(spec, "amount", w)}
    if kind == "per_member_above":
        clean = {
            "type": kind,
            "base": _money(spec, "base", w),
            "threshold": _count(spec, "threshold", w),
            "per_member": _money(spec, "per_member", w),
        }
        if spec.get("cap") is not None:
            clean["cap"] = _money(spec, "cap", w)
            if Decimal(clean["cap"]) < Decimal(clean["base"]):
                raise FormulaError(f"公式 {w}.cap 不应小于基数 base", field=f"formula.{w}.cap")
        return clean
    if kind == "cost_share":
        return {"type": kind, "rate": _rate(spec, "rate", w), "cap": _money(spec, "cap", w)}
    if kind == "per_person_month":
        clean = {"type": kind, "rate": _money(spec, "rate", w)}
        source = spec.get("persons_from")
        if source is not None:
            if source not in PERSON_SOURCES:
                raise FormulaError(
                    f"公式 {w}.persons_from 可选：{'、'.join(PERSON_SOURCES)}",
                    field=f"formula.{w}.persons_from",
                )
            clean["persons_from"] = source
        months = _count(spec, "max_months", w, required=False)
        if months is not None:
            clean["max_months"] = months
        return clean
    if kind == "range":
        low, high = _money(spec, "min", w, allow_zero=True), _money(spec, "max", w)
        if Decimal(low) > Decimal(high):
            raise FormulaError(f"公式 {w}.min 不应大于 max", field=f"formula.{w}.min")
        return {"type": kind, "min": low, "max": high}
    if kind == "banded":
        bands = spec.get("bands")
        if not isinstance(bands, list) or not bands or len(bands) > 20:
            raise FormulaError("公式 bands 应为 1–20 个等级的列表", field="formula.bands")
        clean_bands, keys = [], set()
        for i, band in enumerate(bands):
            bw = f"bands[{i}]"
            if not isinstance(band, dict):
                raise FormulaError(f"公式 {bw} 应为 JSON 对象", field=f"formula.{bw}")
            key, text = band.get("key"), band.get("label")
            if not isinstance(key, str) or not key.strip() or key in keys:
                raise FormulaError(f"公式 {bw}.key 应为不重复的等级代码", field=f"formula.{bw}.key")
            if not isinstance(text, str) or not text.strip():
                raise FormulaError(f"公式 {bw}.label 应填写等级名称", field=f"formula.{bw}.label")
            keys.add(key)
            low, high = _money(band, "min", bw, allow_zero=True), _money(band, "max", bw)
            if Decimal(low) > Decimal(high):
                raise FormulaError(f"公式 {bw}.min 不应大于 max", field=f"formula.{bw}.min")
            clean_bands.append({"key": key.strip(), "label": text.strip(), "min": low, "max": high})
        return {"type": kind, "bands": clean_bands}
    # sum
    parts = spec.get("parts")
    if not isinstance(parts, list) or not 2 <= len(parts) <= 10:
        raise FormulaError("公式 parts 应为 2–10 项的列表", field="formula.parts")
    clean_parts = []
    for i, part in enumerate(parts):
        pw = f"parts[{i}]"
        if not isinstance(part, dict) or not isinstance(part.get("label"), str) or not part["label"].strip():
            raise FormulaError(f"公式 {pw}.label 应填写该项名称", field=f"formula.{pw}.label")
        inner = part.get("formula")
        if isinstance(inner, dict) and inner.get("type") == "sum":
            raise FormulaError(f"公式 {pw} 不能再嵌套合计", field=f"formula.{pw}.formula")
        clean_parts.append(
            {"label": part["label"].strip(), "formula": validate(inner, f"formula.{pw}.formula")}
        )
    return {"type": kind, "parts": clean_parts}


def required_inputs(spec: dict) -> list[str]:
    """The inputs a spec reads, in a stable order."""
    kind = spec["type"]
    needs = {
        "per_member_above": ["members"],
        "cost_share": ["cost"],
        "per_person_month": ["persons", "months"],
        "banded": ["level"],
    }.get(kind, [])
    if kind == "sum":
        needs = [n for part in spec["parts"] for n in required_inputs(part["formula"])]
    return list(dict.fromkeys(needs))


def person_source(spec: dict) -> str | None:
    if spec["type"] == "per_person_month":
        return spec.get("persons_from")
    if spec["type"] == "sum":
        return next((s for p in spec["parts"] if (s := person_source(p["formula"]))), None)
    return None


def bands(spec: dict) -> list[dict]:
    if spec["type"] == "banded":
        return spec["bands"]
    if spec["type"] == "sum":
        return [b for part in spec["parts"] for b in bands(part["formula"])]
    return []


def describe(spec: dict) -> str:
    """One Chinese sentence for the scheme page."""
    kind = spec["type"]
    if kind == "fixed":
        return f"每次 {yuan(spec['amount'])} 元"
    if kind == "per_member_above":
        text = (
            f"会员 {spec['threshold']} 人及以下 {yuan(spec['base'])} 元，"
            f"超过 {spec['threshold']} 人的每人增加 {yuan(spec['per_member'])} 元"
        )
        return text + (f"，最高 {yuan(spec['cap'])} 元" if "cap" in spec else "")
    if kind == "cost_share":
        return f"不超过项目费用的 {percent(spec['rate'])}%，最高 {yuan(spec['cap'])} 元"
    if kind == "per_person_month":
        text = f"每人每月 {yuan(spec['rate'])} 元"
        return text + (f"，最多 {spec['max_months']} 个月" if "max_months" in spec else "")
    if kind == "range":
        return f"{yuan(spec['min'])}–{yuan(spec['max'])} 元，由审核人在区间内确定"
    if kind == "banded":
        return "；".join(f"{b['label']} {yuan(b['min'])}–{yuan(b['max'])} 元" for b in spec["bands"])
    return " + ".join(f"{p['label']}（{describe(p['formula'])}）" for p in spec["parts"])


# --- inputs ---------------------------------------------------------------------------------------


def clean_inputs(spec: dict, raw: dict) -> dict:
    """The inputs the spec reads, typed; a missing or malformed one is an InputError naming it."""
    raw = raw or {}
    clean: dict = {}
    for name in required_inputs(spec):
        value = raw.get(name)
        label = INPUT_LABELS[name]
        if value is None or value == "":
            raise InputError(f"请填写{label}", field=name)
        if name in ("members", "persons", "months"):
            try:
                number = int(str(value).strip())
            except ValueError:
                raise InputError(f"{label}应为整数", field=name) from None
            if number < 0 or number > 10_000_000:
                raise InputError(f"{label}应为 0 到 10,000,000 之间的整数", field=name)
            clean[name] = number
        elif name == "cost":
            if isinstance(value, float):
                value = str(value)
            try:
                amount = to_fen(str(value).strip())
            except (ValueError, TypeError):
                raise InputError(f"{label}不是有效金额：{value}", field=name) from None
            if amount <= 0 or amount > MAX_AMOUNT:
                raise InputError(f"{label}应大于 0 且不超过 10 亿元", field=name)
            clean[name] = str(amount)
        else:  # level
            keys = {b["key"]: b["label"] for b in bands(spec)}
            if str(value) not in keys:
                raise InputError(f"等级无效，可选：{'、'.join(keys.values())}", field=name)
            clean[name] = str(value)
    return clean


# --- evaluation -----------------------------------------------------------------------------------


def evaluate(spec: dict, inputs: dict) -> Quote:
    """Pure: the bounds for these inputs and the working shown. ``spec`` is a validated spec."""
    inputs = clean_inputs(spec, inputs)
    low, high, lines = _eval(spec, inputs)
    return Quote(minimum=to_fen(low), maximum=to_fen(high), lines=lines, inputs=inputs)


def _eval(spec: dict, inputs: dict) -> tuple[Decimal, Decimal, list[str]]:
    kind = spec["type"]
    if kind == "fixed":
        amount = to_fen(spec["amount"])
        return amount, amount, [f"固定金额 {yuan(amount)} 元"]
    if kind == "per_member_above":
        members, threshold = inputs["members"], spec["threshold"]
        base, step = to_fen(spec["base"]), to_fen(spec["per_member"])
        extra = max(0, members - threshold)
        amount = to_fen(base + step * extra)
        if extra:
            line = (
                f"会员 {members} 人，超过 {threshold} 人的 {extra} 人：{yuan(base)} + {extra} × {yuan(step)} "
                f"= {yuan(amount)} 元"
            )
        else:
            line = f"会员 {members} 人，不超过 {threshold} 人：{yuan(base)} 元"
        lines = [line]
        if "cap" in spec and amount > to_fen(spec["cap"]):
            amount = to_fen(spec["cap"])
            lines.append(f"超过上限，按上限 {yuan(amount)} 元")
        return amount, amount, lines
    if kind == "cost_share":
        cost, rate, cap = to_fen(inputs["cost"]), Decimal(spec["rate"]), to_fen(spec["cap"])
        share = to_fen(cost * rate)
        lines = [f"项目费用 {yuan(cost)} 元 × {percent(rate)}% = {yuan(share)} 元"]
        amount = share
        if share > cap:
            amount = cap
            lines.append(f"超过封顶 {yuan(cap)} 元，按封顶计")
        lines.append(f"最高可补 {yuan(amount)} 元（审核人可在 0 至该数之间核定）")
        return Decimal("0.00"), amount, lines
    if kind == "per_person_month":
        persons, months, rate = inputs["persons"], inputs["months"], to_fen(spec["rate"])
        lines = []
        if "max_months" in spec and months > spec["max_months"]:
            lines.append(
                f"申请 {months} 个月，超过最多 {spec['max_months']} 个月，按 {spec['max_months']} 个月计"
            )
            months = spec["max_months"]
        amount = to_fen(rate * persons * months)
        lines.append(f"{persons} 人 × {months} 个月 × {yuan(rate)} 元 = {yuan(amount)} 元")
        return amount, amount, lines
    if kind == "range":
        low, high = to_fen(spec["min"]), to_fen(spec["max"])
        return low, high, [f"{yuan(low)}–{yuan(high)} 元，由审核人在区间内确定"]
    if kind == "banded":
        band = next(b for b in spec["bands"] if b["key"] == inputs["level"])
        low, high = to_fen(band["min"]), to_fen(band["max"])
        if low == high:
            return low, high, [f"{band['label']}：{yuan(low)} 元"]
        return low, high, [f"{band['label']}：{yuan(low)}–{yuan(high)} 元，由审核人在区间内确定"]
    # sum
    low_total, high_total, lines = Decimal("0"), Decimal("0"), []
    for part in spec["parts"]:
        low, high, inner = _eval(part["formula"], inputs)
        low_total += low
        high_total += high
        lines.extend(f"{part['label']}：{line}" for line in inner)
    if low_total == high_total:
        lines.append(f"合计 {yuan(high_total)} 元")
    else:
        lines.append(f"合计 {yuan(low_total)}–{yuan(high_total)} 元")
    return low_total, high_total, lines
