import io
from decimal import Decimal as D

import pytest

from gonghui.demo import mutual_aid as demo
from gonghui.mutual_aid.models import Enrolment, FollowUp, MutualAidClaim
from gonghui.orgs.models import Org, Staff
from gonghui.testing.factories import make_org, make_staff

pytestmark = pytest.mark.django_db


def test_guangxi_demo_the_seed_worker_gets_the_years_maximum(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = make_org(None, Org.Kind.NATIONAL, "中华全国总工会", short_name="全总")
    make_staff(root, Staff.Role.ADMIN, name="全总管理员")
    out = io.StringIO()
    demo.load(stdout=out)
    li = MutualAidClaim.objects.filter(enrolment__member__name="李建明").order_by("admitted_on")
    assert sum(c.total_cost for c in li) == D("2070000.00") and sum(c.self_paid for c in li) == D(
        "1250000.00"
    )
    assert [c.payout for c in li] == [D("678050.00"), D("321950.00")]
    assert all(c.status == "paid" for c in li)
    wei = MutualAidClaim.objects.filter(enrolment__member__name="韦秀兰").order_by("admitted_on")
    assert [c.breakdown["method"] for c in wei] == ["allowance", "bands"] and wei[1].breakdown[
        "minimum_applied"
    ]
    assert Enrolment.objects.filter(paid_by="donated").count() == 3
    assert FollowUp.objects.filter(item="sms", done_at__isnull=False).count() == 7
    assert MutualAidClaim.objects.filter(status="submitted").exists()
    demo.load(stdout=out)  # idempotent
    assert MutualAidClaim.objects.count() == 12 and "已存在" in out.getvalue()
