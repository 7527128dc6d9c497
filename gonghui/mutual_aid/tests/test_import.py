"""Enrolment from an xlsx list: member numbers of the actor's subtree, payer and donated cover per row."""

import pytest
from django.test import Client

from gonghui.core.xlsx import XlsxWriter
from gonghui.mutual_aid import services
from gonghui.mutual_aid.models import Enrolment
from gonghui.testing.factories import make_member

pytestmark = pytest.mark.django_db


def _book(rows, header=("会员编号", "缴费方式", "赠送对象")) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet("参保名单", header=list(header))
    for row in rows:
        sheet.append(list(row))
    return book.to_bytes()


def test_import_enrols_by_member_number_and_names_each_bad_row(personas, product):
    craftsman = make_member(personas.tree.grassroots, name="廖建华", employment_form="standard")
    data = _book(
        [
            (personas.member.member_no, "工会统一缴纳", ""),
            (craftsman.member_no, "赠送", "工匠"),
            (personas.sibling_member.member_no, "个人缴纳", ""),  # another city's member
            ("T999999999", "个人缴纳", ""),
            (personas.member.member_no, "个人缴纳", ""),  # twice in the file
            ("", "", ""),
            ("T000000123", "赠送", ""),
        ]
    )
    count, problems = services.enrolment_import(actor=personas.county_staffer, product=product, data=data)
    assert count == 2
    assert {(e.member, e.paid_by, e.donated_as) for e in Enrolment.objects.all()} == {
        (personas.member, "union", ""),
        (craftsman, "donated", "craftsman"),
    }
    assert problems == [
        f"第 6 行：会员编号 {personas.member.member_no} 与第 2 行重复",
        "第 8 行：赠送时请填写赠送对象（劳动模范、工匠、困难职工），其他情况留空",
        f"第 4 行：会员编号 {personas.sibling_member.member_no} 不存在或不在您的管辖范围内",
        "第 5 行：会员编号 T999999999 不存在或不在您的管辖范围内",
    ]
    again, problems = services.enrolment_import(
        actor=personas.county_staffer, product=product, data=_book([(personas.member.member_no, "工会", "")])
    )
    assert again == 0 and problems == ["王*军：已参加本年度保障"]


def test_a_wrong_header_or_a_non_xlsx_file_is_refused_on_the_page(personas, product):
    client = Client()
    client.force_login(personas.county_staffer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    wrong = SimpleUploadedFile("名单.xlsx", _book([], header=("姓名", "身份证号", "")))
    response = client.post("/workbench/mutual-aid/enrol/", {"product": product.pk, "file": wrong})
    assert (
        response.status_code == 400 and "表头应为：会员编号、缴费方式、赠送对象" in response.content.decode()
    )
    text = SimpleUploadedFile("名单.xlsx", b"not a spreadsheet")
    response = client.post("/workbench/mutual-aid/enrol/", {"product": product.pk, "file": text})
    assert response.status_code == 400 and "xlsx" in response.content.decode()
    assert not Enrolment.objects.exists()
    template = client.get("/workbench/mutual-aid/enrol/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
