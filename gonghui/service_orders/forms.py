"""Page forms: they only parse types; every rule lives in services so pages and API say the same thing."""

from __future__ import annotations

from django import forms

from .models import Category, Expert, Mode, ServiceOrder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 1800}, format="%H:%M")
MSG = {"required": "此项必填", "invalid": "格式不正确"}
DATE_MSG = {"invalid": "日期格式应为 YYYY-MM-DD"}


class ItemForm(forms.Form):
    org = forms.TypedChoiceField(label="发布工会", coerce=int, choices=(), help_text="由该工会下属的工会点单")
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    name = forms.CharField(label="服务项目", max_length=60, error_messages=MSG)
    description = forms.CharField(label="服务内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    team = forms.TypedChoiceField(label="服务团队", coerce=int, choices=())
    required_skill = forms.CharField(
        label="所需专长",
        max_length=40,
        required=False,
        help_text="只派擅长此项的专家；留空则团队内任一专家均可",
    )
    experts_needed = forms.IntegerField(label="每场专家人数", initial=1, error_messages=MSG)
    duration_minutes = forms.IntegerField(label="时长(分钟)", initial=120, error_messages=MSG)
    min_headcount = forms.IntegerField(label="最少人数", initial=10, error_messages=MSG)
    max_headcount = forms.IntegerField(label="最多人数", initial=100, error_messages=MSG)
    mode = forms.ChoiceField(label="服务方式", choices=Mode.choices)
    lead_days = forms.IntegerField(label="提前预约天数", initial=3, error_messages=MSG)
    is_published = forms.BooleanField(label="上架（下级工会可点单）", required=False, initial=True)


class OrderForm(forms.Form):
    org = forms.TypedChoiceField(label="点单工会", coerce=int, choices=())
    preferred_date1 = forms.DateField(label="首选日期", widget=DATE, error_messages={**MSG, **DATE_MSG})
    preferred_date2 = forms.DateField(
        label="备选日期二", widget=DATE, required=False, error_messages=DATE_MSG
    )
    preferred_date3 = forms.DateField(
        label="备选日期三", widget=DATE, required=False, error_messages=DATE_MSG
    )
    headcount = forms.IntegerField(label="参加人数", error_messages=MSG)
    address = forms.CharField(label="服务地点", max_length=200, required=False)
    contact_name = forms.CharField(label="联系人", max_length=40, error_messages=MSG)
    contact_phone = forms.CharField(label="联系电话", max_length=20, error_messages=MSG)
    needs = forms.CharField(
        label="具体需求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="职工的工种、关注的问题、场地条件等",
    )
    channel = forms.ChoiceField(label="点单方式", choices=ServiceOrder.Channel.choices, required=False)


class ScheduleForm(forms.Form):
    day = forms.DateField(label="日期", widget=DATE, error_messages={**MSG, **DATE_MSG})
    time = forms.TimeField(
        label="开始时间", widget=TIME, error_messages={**MSG, "invalid": "时间格式应为 HH:MM"}
    )
    expert_ids = forms.TypedMultipleChoiceField(
        label="派出专家",
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择派出的专家"},
    )


class AttendForm(forms.Form):
    attended_count = forms.IntegerField(label="实际服务职工人数", error_messages=MSG)
    note = forms.CharField(label="服务记录", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评分",
        coerce=int,
        choices=[(i, f"{i} 星") for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评分"},
    )
    comment = forms.CharField(label="评价", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写原因"})


class ExpertForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40, error_messages=MSG)
    kind = forms.ChoiceField(label="类别", choices=Expert.Kind.choices)
    team = forms.TypedChoiceField(
        label="专家服务团", coerce=int, choices=(), required=False, empty_value=None
    )
    title = forms.CharField(label="职称/单位", max_length=80, required=False)
    skills = forms.CharField(
        label="擅长", max_length=200, required=False, help_text="用顿号分隔，如：海姆立克急救、身心双检"
    )
    phone = forms.CharField(
        label="手机号（可选）",
        max_length=20,
        required=False,
        help_text="填写后专家可登录工作台查看自己的日程",
    )


class LeaveForm(forms.Form):
    start_date = forms.DateField(label="开始日期", widget=DATE, error_messages={**MSG, **DATE_MSG})
    end_date = forms.DateField(label="结束日期", widget=DATE, error_messages={**MSG, **DATE_MSG})
    reason = forms.CharField(label="事由", max_length=80, required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label="服务团名称", max_length=80, error_messages=MSG)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 2}))
