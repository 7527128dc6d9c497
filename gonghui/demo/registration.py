"""Demo data for 工会法人登记 (seed: 北京 "一网通办、全程网办"): 北京市总工会 with 朝阳区总工会 as the
registering authority of three grassroots unions — one registered (its certificate later 补领, so the old
number reports 已补领作废), one whose certificate expires within 30 days, one 申请 waiting for approval.
Filings are replayed at their dates through the services, so numbers, due dates and signatures are real
(the demo authority key is generated into the database on first use, never committed).
Idempotent: does nothing when 朝阳区总工会 exists. Demo logins use phones 13800018001–13800018099."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from gonghui.accounts.models import User
from gonghui.core.validators import make_credit_code
from gonghui.demo.cases import at
from gonghui.demo.data import DEMO_PASSWORD
from gonghui.orgs.models import Org, Staff
from gonghui.registration import services
from gonghui.registration.models import Filing
from gonghui.testing.factories import make_org

SHANGHAI = ZoneInfo("Asia/Shanghai")
REGION = "110105"  # 北京市朝阳区
DISTRICT = "北京市朝阳区总工会"

UNIONS = [
    # key, name, credit first17, chair (phone, name), address
    (
        "cbd",
        "北京国贸物业管理有限公司工会",
        "81110105MA01A2B3C",
        ("13800018001", "陈雅琴"),
        "北京市朝阳区建国门外大街1号",
    ),
    (
        "wj",
        "北京望京科技园运营有限公司工会",
        "81110105MA01D4E5F",
        ("13800018002", "刘志远"),
        "北京市朝阳区望京街10号",
    ),
    (
        "jxq",
        "北京酒仙桥电子器材厂工会",
        "81110105MA01G6H7J",
        ("13800018003", "孙建平"),
        "北京市朝阳区酒仙桥路4号",
    ),
]
DOCS = services.REQUIRED_DOCUMENTS


def _t(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, tzinfo=SHANGHAI)


def _user(phone, name):
    try:
        return User.objects.get_by_phone(phone)
    except User.DoesNotExist:
        return User.objects.create_user(phone, password=DEMO_PASSWORD, name=name)


def _staff(org, phone, name, role, title):
    user = _user(phone, name)
    Staff.objects.get_or_create(user=user, org=org, role=role, defaults={"title": title})
    return user


def load(*, stdout) -> None:
    if Org.objects.filter(name=DISTRICT).exists():
        return
    with transaction.atomic():
        national = Org.objects.filter(parent__isnull=True).first()
        beijing = Org.objects.filter(name="北京市总工会").first() or make_org(
            national, Org.Kind.PROVINCE, "北京市总工会", short_name="北京市总", region_code="110000"
        )
        district = make_org(beijing, Org.Kind.COUNTY, DISTRICT, short_name="朝阳区总", region_code=REGION)
        approver = _staff(district, "13800018010", "马丽华", Staff.Role.APPROVER, "法人登记审批")
        _staff(beijing, "13800018011", "郑国强", Staff.Role.ADMIN, "北京市总工会 基层工作部")
        unions = {}
        for key, name, first17, (phone, chair), address in UNIONS:
            org = make_org(
                district, Org.Kind.GRASSROOTS, name, region_code=REGION, address=address, chair_name=chair
            )
            unions[key] = (
                org,
                _staff(org, phone, chair, Staff.Role.ADMIN, "工会主席"),
                make_credit_code(first17),
            )

        def apply(key, when, start, end):
            org, user, code = unions[key]
            with at(when):
                return services.filing_submit(
                    actor=user,
                    org=org,
                    kind=Filing.Kind.APPLY,
                    credit_code=code,
                    legal_rep=org.chair_name,
                    address=org.address,
                    term_start=start,
                    term_end=end,
                    documents=DOCS[Filing.Kind.APPLY],
                )

        with at(_t(2024, 5, 8)):
            services.filing_approve(
                actor=approver,
                filing=apply("cbd", _t(2024, 5, 6), dt.date(2024, 4, 28), dt.date(2029, 4, 27)),
            )
        org, user, _ = unions["cbd"]
        with at(_t(2026, 9, 14)):
            replace = services.filing_submit(
                actor=user,
                org=org,
                kind=Filing.Kind.REPLACE,
                reason="办公室搬迁中证书遗失",
                documents=DOCS[Filing.Kind.REPLACE],
            )
            services.filing_approve(actor=approver, filing=replace)
        with at(_t(2021, 12, 22)):
            services.filing_approve(
                actor=approver,
                filing=apply("wj", _t(2021, 12, 20), dt.date(2021, 12, 20), dt.date(2026, 12, 19)),
            )
        apply("jxq", _t(2026, 11, 26), dt.date(2026, 11, 20), dt.date(2031, 11, 19))
    stdout.write("工会法人登记：朝阳区总工会 3 家基层工会（已登记并补领 1、即将到期 1、待审批 1）")
