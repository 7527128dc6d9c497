"""The staff form for a campaign (new or edited before it opens). Offers are rows of the form — one
fieldset per course class or coupon type, with 添加一行 / 删除 buttons that work without JavaScript."""

from __future__ import annotations

import datetime as dt

from django import forms

from gonghui.core.glossary import OCCUPATIONS

from .models import Campaign

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class CampaignForm(forms.Form):
    org = forms.TypedChoiceField(label="主办工会", coerce=int)
    title = forms.CharField(label="名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=Campaign.Kind.choices)
    mode = forms.ChoiceField(label="分配方式", choices=Campaign.Mode.choices)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    venue = forms.CharField(label="地点或合作商户", required=False, max_length=200)
    opens_at = forms.DateTimeField(
        label="开抢/报名开始",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    closes_at = forms.DateTimeField(
        label="报名截止", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    )
    cancel_deadline = forms.DateTimeField(
        label="退订截止（可空）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    real_name_required = forms.BooleanField(label="仅限实名认证会员", required=False, initial=True)
    new_form_only = forms.BooleanField(label="仅限新就业形态劳动者", required=False)
    occupations = forms.MultipleChoiceField(
        label="限定职业（不选为不限）",
        required=False,
        choices=OCCUPATIONS,
        widget=forms.CheckboxSelectMultiple,
    )
    per_member_limit = forms.IntegerField(label="每人限领", min_value=1, max_value=50, initial=1)
    lottery_weight_losers = forms.BooleanField(label="抽签时上次未中签者两倍权重", required=False)

    error_messages = {"required": "此项必填"}

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
        for field in self.fields.values():
            field.error_messages.setdefault("required", "此项必填")
            field.error_messages["required"] = "此项必填"
            field.error_messages["invalid"] = (
                "格式不正确（日期时间如 2026-05-01 09:00）"
                if isinstance(field, forms.DateTimeField)
                else "格式不正确"
            )


# --- offer rows ------------------------------------------------------------------------------

OFFER_COLUMNS = [
    # (name, label, input type, placeholder)
    ("name", "名称", "text", "如 古筝初级班（周六上午）、50元游泳券"),
    ("capacity", "数量", "number", "名额或张数"),
    ("starts_at", "开始时间", "datetime-local", ""),
    ("schedule", "上课/活动时间说明", "text", "如 每周六 9:00-11:00（可空）"),
    ("valid_until", "有效期止", "date", ""),
    ("location", "地点", "text", "可空"),
    ("face_value", "面值（元）", "number", "可空"),
]
MAX_ROWS = 50


class OfferRows:
    """The offer rows of the campaign form: read from the POST (parallel lists offer_<column>),
    typed values checked per row and cell, errors kept per row and column for the template."""

    def __init__(self, rows: list[dict]):
        self.rows = rows or [self.blank()]
        self.errors: dict[int, dict[str, str]] = {}
        self.positions: list[int] = []  # row index of each cleaned offer

    @staticmethod
    def blank() -> dict:
        return {name: "" for name, *_ in OFFER_COLUMNS}

    @classmethod
    def from_post(cls, post) -> OfferRows:
        lists = {name: post.getlist(f"offer_{name}") for name, *_ in OFFER_COLUMNS}
        count = min(max((len(v) for v in lists.values()), default=0), MAX_ROWS)
        rows = [
            {name: (lists[name][i] if i < len(lists[name]) else "").strip() for name in lists}
            for i in range(count)
        ]
        remove = post.get("remove_offer", "")
        if remove.isdigit() and int(remove) < len(rows):
            rows.pop(int(remove))
        if "add_offer" in post and len(rows) < MAX_ROWS:
            rows.append(cls.blank())
        return cls(rows)

    @classmethod
    def from_offers(cls, offers) -> OfferRows:
        from django.utils import timezone

        return cls(
            [
                {
                    "name": o.name,
                    "capacity": str(o.capacity),
                    "starts_at": timezone.localtime(o.starts_at).strftime(LOCAL_INPUT) if o.starts_at else "",
                    "schedule": o.schedule,
                    "valid_until": o.valid_until.isoformat() if o.valid_until else "",
                    "location": o.location,
                    "face_value": f"{o.face_value:.2f}" if o.face_value is not None else "",
                }
                for o in offers
            ]
        )

    def add_error(self, index: int, column: str, message: str) -> None:
        known = {name for name, *_ in OFFER_COLUMNS}
        self.errors.setdefault(index, {})[column if column in known else "name"] = message

    def add_service_error(self, field: str, message: str) -> bool:
        """Places a service error "offers.<i>.<column>" on its row; False when it is not a row's."""
        parts = field.split(".")
        if (
            len(parts) == 3
            and parts[0] == "offers"
            and parts[1].isdigit()
            and int(parts[1]) < len(self.positions)
        ):
            self.add_error(self.positions[int(parts[1])], parts[2], message)
            return True
        return False

    def cleaned(self) -> list[dict] | None:
        """The rows as the service takes them (fully blank rows dropped), or None when a cell is wrong."""
        from decimal import Decimal, InvalidOperation

        from django.utils import timezone

        out, self.positions = [], []
        for i, row in enumerate(self.rows):
            if not any(row.values()):
                continue
            self.positions.append(i)
            item = {
                "name": row["name"],
                "capacity": row["capacity"],
                "schedule": row["schedule"],
                "location": row["location"],
            }
            try:
                item["starts_at"] = (
                    timezone.make_aware(dt.datetime.strptime(row["starts_at"], LOCAL_INPUT))
                    if row["starts_at"]
                    else None
                )
            except ValueError:
                self.add_error(i, "starts_at", "开始时间格式应为 2026-05-01 09:00")
            try:
                item["valid_until"] = (
                    dt.date.fromisoformat(row["valid_until"]) if row["valid_until"] else None
                )
            except ValueError:
                self.add_error(i, "valid_until", "有效期止应为 YYYY-MM-DD")
            try:
                item["face_value"] = Decimal(row["face_value"]) if row["face_value"] else None
                if item["face_value"] is not None and not item["face_value"].is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.add_error(i, "face_value", "面值应为数字（元），也可以不填")
            out.append(item)
        if self.errors:
            return None
        return out

    def table(self):
        """Rows for the template: (index, [(column, label, type, placeholder, value, error)])."""
        return [
            (
                i,
                [
                    (name, label, kind, placeholder, row.get(name, ""), self.errors.get(i, {}).get(name))
                    for name, label, kind, placeholder in OFFER_COLUMNS
                ],
            )
            for i, row in enumerate(self.rows)
        ]
