from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.campaigns.models import Campaign, Offer
from gonghui.cases.models import Case
from gonghui.orgs.models import Org
from gonghui.service_orders.models import ServiceItem
from gonghui.stations.models import Station

pytestmark = pytest.mark.django_db


def test_demo_loads_every_app_once_and_prints_the_sign_ins():
    out = StringIO()
    call_command("demo", members=20, stdout=out)
    text = out.getvalue()
    assert "演示账号（密码均为" in text and "工作台 http://127.0.0.1:8000/accounts/staff-login/" in text
    counts = (Org.objects.count(), Station.objects.count(), Case.objects.count(), Campaign.objects.count())
    assert all(counts) and ServiceItem.objects.filter(org__short_name="安丘市总").count() == 31
    call_command("demo", members=20, quiet_logins=True, stdout=StringIO())  # idempotent
    assert (
        Org.objects.count(),
        Station.objects.count(),
        Case.objects.count(),
        Campaign.objects.count(),
    ) == counts


def test_demo_campaigns_seed_articles():
    call_command("demo", members=20, quiet_logins=True, stdout=StringIO())
    call_command("demo", only="campaigns", stdout=StringIO())  # idempotent
    baoji = Campaign.objects.get(title="宝鸡市工人文化宫春季公益培训课程")
    assert baoji.offers.count() >= 50
    ningbo = {o.name: o.capacity for o in Offer.objects.filter(campaign__org__short_name="宁波市总")}
    assert ningbo["电影券"] == 5000 and ningbo["游泳券"] == 2000 and ningbo["餐券"] == 1000
    assert ningbo["体检券"] == 120 and ningbo["疗休养券（5天4晚）"] == 300
    assert Campaign.objects.filter(mode="lottery").count() == 1


def test_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo", members=20, stdout=StringIO())
    assert not Org.objects.exists()


def test_demo_worker_journeys_of_issue_11():
    from gonghui.accounts.models import User
    from gonghui.members.models import Enrollment

    out = StringIO()
    call_command("demo", members=20, stdout=out)
    assert "13800011001" in out.getvalue() and "实名认证与入会" in out.getvalue()
    driver = Enrollment.objects.get(phone_index=User.objects.get_by_phone("13800011001").phone_index)
    assert (
        driver.employer_name == "货拉拉"
        and driver.org.short_name == "柳林县总"
        and driver.work_region == "141125"
    )
    rider = Enrollment.objects.get(phone_index=User.objects.get_by_phone("13800011002").phone_index)
    assert rider.channel == "station" and rider.station_code
    approved = User.objects.get_by_phone("13800011003")
    assert approved.real_name_verified and approved.real_name_method == "approval"
    assert not User.objects.get_by_phone("13800011004").real_name_verified


def test_demo_members_numbers_have_one_length_and_nobody_joined_under_16():
    from gonghui.members.models import Member
    from gonghui.members.services import next_member_numbers

    call_command("demo", members=200, quiet_logins=True, stdout=StringIO())
    demo = Member.objects.all()
    numbers = list(demo.values_list("member_no", flat=True))
    assert len(numbers) >= 200
    issued = next_member_numbers(Org.objects.filter(kind="grassroots").first())[0]
    assert {len(n) for n in numbers} == {len(issued)} == {15}
    assert all(n.isdigit() for n in numbers)
    assert issued not in numbers  # the counter continues after the demo's numbers
    for birth, joined in demo.values_list("birth_date", "joined_at"):
        age = joined.year - birth.year - ((joined.month, joined.day) < (birth.month, birth.day))
        assert age >= 16, (birth, joined)
