import pytest

from gonghui.demo import service_orders as demo
from gonghui.orgs.models import Org
from gonghui.service_orders.models import Category, ServiceItem, ServiceOrder
from gonghui.testing.factories import make_org

pytestmark = pytest.mark.django_db


def test_anqiu_demo_menu_and_orders():
    root = make_org(None, Org.Kind.NATIONAL, "中华全国总工会", short_name="全总")
    anqiu = make_org(root, Org.Kind.COUNTY, "安丘市总工会", short_name="安丘市总", region_code="370784")
    make_org(anqiu, Org.Kind.GRASSROOTS, "安丘博阳机械制造有限公司工会", short_name="博阳机械工会")
    make_org(anqiu, Org.Kind.GRASSROOTS, "安丘市新安街道联合工会", short_name="新安街道联合工会")
    assert demo.load()
    items = ServiceItem.objects.filter(org=anqiu)
    assert items.count() == 31
    assert set(items.values_list("category", flat=True)) == set(Category.values)
    orders = ServiceOrder.objects.filter(provider_path=anqiu.path)
    boyang = orders.filter(org__short_name="博阳机械工会", item__name="身心双检", status="rated").get()
    assert boyang.attended_count == 82
    # The popular 身心双检 is booked months ahead.
    latest = orders.filter(item__name="身心双检", scheduled_start__isnull=False).latest("scheduled_start")
    assert (latest.scheduled_start.date() - latest.ordered_at.date()).days > 45
    assert orders.filter(status="ordered").exists() and orders.filter(status="cancelled").exists()
    assert not demo.load()  # idempotent
