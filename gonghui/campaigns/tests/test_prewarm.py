"""Before the rush: the campaign's offers and its eligible members' tokens go into the cache."""

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gonghui.accounts.services import api_token_issue, api_token_user
from gonghui.campaigns import services
from gonghui.campaigns.services import grab as grab_services
from gonghui.testing.factories import make_id, make_member, make_user


def queries_for(raw: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api_token_user(raw) is not None
    return len(queries)


def member_token(org, *, verified=True) -> str:
    user = make_user(real_name_verified=verified)
    make_member(org, user=user, id_number=make_id())
    return api_token_issue(user=user)


@pytest.mark.django_db
def test_prewarm_caches_the_tokens_of_eligible_members_only(personas, make_campaign):
    opens = timezone.now() + dt.timedelta(minutes=3)
    campaign = make_campaign(opens_at=opens, closes_at=opens + dt.timedelta(days=1))
    eligible = member_token(personas.tree.grassroots)
    unverified = member_token(personas.tree.grassroots, verified=False)
    elsewhere = member_token(personas.tree.sibling_grassroots)
    cache.clear()
    assert services.campaign_prewarm(campaign=campaign) == 1
    assert queries_for(eligible) == 0
    assert queries_for(unverified) > 0 and queries_for(elsewhere) > 0
    # The offers too: the first grab reads the target without a query for it.
    offer = campaign.offers.get()
    with CaptureQueriesContext(connection) as queries:
        grab_services._grab_target(campaign.pk, offer.pk)
    assert len(queries) == 0


@pytest.mark.django_db
def test_the_minutely_job_warms_campaigns_about_to_open_once(personas, make_campaign):
    now = timezone.now()
    soon = make_campaign(
        title="五分钟内开抢", opens_at=now + dt.timedelta(minutes=4), closes_at=now + dt.timedelta(days=1)
    )
    make_campaign(
        title="半小时后开抢", opens_at=now + dt.timedelta(minutes=30), closes_at=now + dt.timedelta(days=1)
    )
    make_campaign(title="已经开抢")
    member_token(personas.tree.grassroots)
    out = StringIO()
    call_command("campaigns_prewarm", stdout=out)
    assert "预热「五分钟内开抢」：令牌 1 个" in out.getvalue() and "共 1 个活动" in out.getvalue()
    assert [c.pk for c, _ in services.campaigns_prewarm_due()] == []  # once is enough
    assert soon.pk not in [c.pk for c, _ in services.campaigns_prewarm_due(now=now)]
