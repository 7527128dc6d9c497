from io import StringIO

import pytest
from django.core.management import call_command

from gonghui.members.models import Member
from gonghui.orgs.models import Org
from gonghui.orgs.scope import subtree_q
from gonghui.stats.models import Target
from gonghui.stats.selectors import overview, period

pytestmark = pytest.mark.django_db


def test_the_demo_dashboard_shows_the_registry_and_the_seed_targets():
    call_command("demo", members=60, quiet_logins=True, stdout=StringIO())
    county = Org.objects.get(short_name="柳林县总")
    f = overview(county, *period())["figures"]
    holding = Member.objects.filter(subtree_q(county.path, "org_path"), status__in=Member.HOLDING).count()
    assert f["members"] == holding > 0
    assert Target.objects.filter(org__short_name="预石运输工会", value=1000).exists()
    call_command("demo", only="stats", stdout=StringIO())  # idempotent
    assert Target.objects.filter(org=county).count() == 2
