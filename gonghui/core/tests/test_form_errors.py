"""The one way a page shows a failed form (core/forms.py, core/_form_errors.html)."""

from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from gonghui.core.errors import DomainError, ErrorCollector, Invalid
from gonghui.core.forms import GENERAL, FormErrors, form_failed


def test_the_collector_keeps_every_field_error_and_the_api_shape_stays_the_first():
    errors = ErrorCollector()
    with errors.check():
        raise DomainError("请填写姓名", code="required", field="name")
    with errors.check():
        pass
    with errors.check():
        raise DomainError("身份证号校验位不正确", code="id_checksum", field="id_number")
    try:
        errors.raise_if_any()
    except Invalid as exc:
        assert [e.field for e in exc.errors] == ["name", "id_number"]
        assert exc.as_dict() == {"code": "required", "message": "请填写姓名", "field": "name"}
    else:
        raise AssertionError("no error raised")


def test_one_error_is_raised_as_itself():
    errors = ErrorCollector()
    with errors.check():
        raise DomainError("请填写姓名", code="required", field="name")
    try:
        errors.raise_if_any()
    except DomainError as exc:
        assert not isinstance(exc, Invalid) and exc.field == "name"


def test_an_error_on_a_field_the_form_does_not_show_goes_to_the_summary():
    errors = FormErrors.from_exc(DomainError("未找到可受理的工会", field="org_path"), fields={"name"})
    assert list(errors) == [(GENERAL, "未找到可受理的工会")]


def test_django_form_errors_use_the_same_shape():
    class F(forms.Form):
        title = forms.CharField(label="标题")
        seats = forms.IntegerField(label="名额")

    form = F(data={"seats": "x"})
    assert not form.is_valid()
    errors = FormErrors.from_form(form)
    assert errors.fields == {"title", "seats"} and len(errors) == 2


def test_the_page_answers_422_with_a_summary_and_the_field_marked():
    request = RequestFactory().post("/x/")
    exc = Invalid([DomainError("请填写姓名", field="name"), DomainError("请选择职业", field="occupation")])
    response = form_failed(request, "core/_form_errors.html", {}, exc)
    html = response.content.decode()
    assert response.status_code == 422
    assert "有 2 处需要修改" in html and 'href="#err-name"' in html and "请选择职业" in html
    field = Template('{% load form_errors %}{% field_error "name" %}').render(
        Context({"form_errors": FormErrors.from_exc(exc)})
    )
    assert field == '<span class="error" id="err-name">请填写姓名</span>'
