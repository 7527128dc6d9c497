"""Redis gone (master dead, Sentinel not yet done): the gate lets the database decide; no oversell."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from gonghui.campaigns import gate, services
from gonghui.campaigns.models import Ticket
from gonghui.testing.factories import make_member, make_user


class DeadRedis:
    def register_script(self, script):
        def call(**kwargs):
            raise RedisConnectionError("Connection refused")

        return call

    def set(self, *a, **kw):
        raise RedisConnectionError("Connection refused")

    delete = set


@pytest.fixture
def dead_redis(monkeypatch):
    monkeypatch.setattr(gate, "_redis", lambda: DeadRedis())
    monkeypatch.setattr(gate, "_hit_script", None)


def test_hit_degrades_to_the_database_when_redis_is_unreachable(dead_redis):
    passed = gate.hit(1, "10.0.0.1", 1, 1)
    assert passed.allowed and not passed.known_sold_out and passed.target is None
    gate.mark_sold_out(1, 1)  # logged, not raised
    gate.clear_held(1, 1)


@pytest.mark.django_db
def test_grabs_during_a_redis_failover_still_sell_exactly_the_capacity(personas, make_campaign, dead_redis):
    campaign = make_campaign(offers=[{"name": "电影券", "capacity": 2}], real_name_required=False)
    offer = campaign.offers.get()
    users = []
    for i in range(4):
        user = make_user(name=f"职工{i}")
        make_member(personas.tree.county, user=user, name=f"职工{i}")
        users.append(user)
    results = []
    for user in users:
        try:
            results.append(services.offer_grab(actor=user, campaign_id=campaign.pk, offer_id=offer.pk).result)
        except services.GrabRefused as refusal:
            results.append(refusal.code)
    assert results == ["won", "won", "sold_out", "sold_out"]
    assert Ticket.objects.filter(offer=offer).count() == 2
    offer.refresh_from_db()
    assert offer.remaining == 0
