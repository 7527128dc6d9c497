"""The staff form for a new campaign. Offers are typed one per line, as unions list 50 courses at once."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from gonghui.core.glossary import OCCUPATIONS

from .models import Campaign

OFFER_HELP = (
    "每行一个：名称 | 数量 | 上课/活动时间（可空） | 有效期止 YYYY-MM-DD（福利券必填） | 地点（可空）"
)


class CampaignForm(forms.Form):
    org = forms.TypedChoiceField(label="主办工会", coerce=int)
    title = forms.CharField(label="名称", max_length=120)
    kind = forms.ChoiceField(label="类型", choices=Campaign.Kind.choices)
    mode = forms.ChoiceField(label="分配方式", choices=Campaign.Mode.choices)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    venue = forms.CharField(label="地点或合作商户", required=False, max_length=200)
    opens_at = forms.DateTimeField(
        label="开抢/报名开始", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label="报名截止", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    cancel_deadline = forms.DateTimeField(
        label="退订截止（可空）", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
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
    offers = forms.CharField(
        label="课程班次 / 券种", help_text=OFFER_HELP, widget=forms.Textarea(attrs={"rows": 6})
    )

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

    def clean_offers(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["offers"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            parts += [""] * (5 - len(parts))
            name, capacity, schedule, valid_until, location = parts[:5]
            try:
                capacity = int(capacity)
            except ValueError:
                raise ValidationError(f"第 {number} 行：数量应为整数") from None
            try:
                valid_until = dt.date.fromisoformat(valid_until) if valid_until else None
            except ValueError:
                raise ValidationError(f"第 {number} 行：有效期止应为 YYYY-MM-DD") from None
            rows.append(
                {
                    "name": name,
                    "capacity": capacity,
                    "schedule": schedule,
                    "valid_until": valid_until,
                    "location": location,
                }
            )
        if not rows:
            raise ValidationError("请至少填写一行")
        return rows
