from django import forms

from .models import Org, Staff


class OrgForm(forms.Form):
    """Shape and labels only: the rules live in services.org_create / org_update."""

    name = forms.CharField(label="工会名称", max_length=120)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    region_code = forms.CharField(
        label="行政区划代码", max_length=6, required=False, help_text="6位数字，如 141125（柳林县）"
    )
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, help_text="基层工会以 81 开头"
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    lat = forms.FloatField(label="纬度（GCJ-02）", required=False)
    lng = forms.FloatField(label="经度（GCJ-02）", required=False)
    chair_name = forms.CharField(label="工会主席", max_length=40, required=False)
    contact_name = forms.CharField(label="联系人", max_length=40, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)


class OrgCreateForm(OrgForm):
    kind = forms.ChoiceField(label="组织类型", choices=Org.Kind.choices)
    field_order = ["kind", "name"]


class StaffForm(forms.Form):
    phone = forms.CharField(label="手机号", max_length=20)
    name = forms.CharField(label="姓名", max_length=40, required=False)
    role = forms.ChoiceField(label="岗位", choices=Staff.Role.choices)
    title = forms.CharField(label="职务", max_length=40, required=False, help_text="如：副主席、组织部干事")
