"""The gate against a real Redis (the Lua script every grab of a rush runs): skipped, with the reason, when
no Redis answers at GONGHUI_TEST_REDIS_URL (default redis://127.0.0.1:6379/15)."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

from gonghui.campaigns import gate, services
from gonghui.campaigns.models import Ticket
from gonghui.testing.factories import make_member, make_user

REDIS_URL = os.environ.get("GONGHUI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not _redis_up(), reason=f"没有可用的 Redis（{REDIS_URL}）：本组测试需要 Redis"),
]


@pytest.fixture
def real_redis(monkeypatch):
    prefix = f"test-{uuid.uuid4().hex[:12]}"  # parallel test workers share the database number
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    monkeypatch.setattr(gate, "_hit_script", None)
    with override_settings(CACHES=caches):
        yield cache
        cache.delete_pattern("*")


def member(org, name):
    user = make_user(name=name, real_name_verified=True)
    make_member(org, user=user, name=name)
    return user


def tap(user, campaign, offer):
    try:
        return services.offer_grab(
            actor=user, campaign_id=campaign.pk, offer_id=offer.pk, ip="10.0.0.9"
        ).result
    except services.GrabRefused as refusal:
        return refusal.code


def test_after_the_sell_out_each_member_hears_the_truth(
    real_redis, personas, make_campaign, django_assert_num_queries
):
    campaign = make_campaign(offers=[{"name": "电影券", "capacity": 1}])
    offer = campaign.offers.get()
    winner, loser, late = (member(personas.tree.county, n) for n in ("张师傅", "李师傅", "王师傅"))
    assert tap(winner, campaign, offer) == "won"
    assert tap(loser, campaign, offer) == "sold_out"  # decided by the database; the flag goes up
    # Who never tried hears 已抢完 from Redis alone, the offer read from the same round trip.
    with django_assert_num_queries(0):
        assert tap(late, campaign, offer) == "sold_out"
    assert tap(winner, campaign, offer) == "already"  # 你已领取, from the database
    assert tap(loser, campaign, offer) == "sold_out"
    assert Ticket.objects.filter(offer=offer).count() == 1


def test_the_grab_reads_the_offer_from_the_gate_round_trip(real_redis, personas, make_campaign):
    campaign = make_campaign(offers=[{"name": "电影券", "capacity": 5}])
    offer = campaign.offers.get()
    first = member(personas.tree.county, "张师傅")
    assert tap(first, campaign, offer) == "won"  # caches the grab target
    passed = gate.hit(make_user().pk, "10.0.0.9", campaign.pk, offer.pk)
    assert passed.allowed and not passed.known_sold_out
    assert passed.target.pk == offer.pk and passed.target.campaign.title == campaign.title


def test_the_member_rate_limit_holds_in_redis(real_redis, personas, make_campaign, settings):
    settings.GONGHUI_GRAB_MEMBER_LIMIT = (2, 10)
    campaign = make_campaign(offers=[{"name": "电影券", "capacity": 5}])
    offer = campaign.offers.get()
    user = member(personas.tree.county, "张师傅")
    assert [tap(user, campaign, offer) for _ in range(3)] == ["won", "already", "rate_limited"]
