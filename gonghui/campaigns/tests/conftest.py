import datetime as dt

import pytest
from django.utils import timezone

from gonghui.campaigns import services


@pytest.fixture
def make_campaign(personas):
    """make_campaign(org=…, **overrides) → a campaign created through the service, open now."""

    def make(*, org=None, actor=None, offers=None, **overrides):
        now = timezone.now()
        fields = {
            "title": "宝鸡市工人文化宫公益培训·古筝班",
            "kind": "course",
            "opens_at": now - dt.timedelta(minutes=1),
            "closes_at": now + dt.timedelta(days=3),
            "real_name_required": True,
            "venue": "宝鸡市工人文化宫",
        }
        fields.update(overrides)
        return services.campaign_create(
            actor=actor or personas.county_staffer,
            org=org or personas.tree.county,
            offers=offers or [{"name": "古筝初级班（周六上午）", "capacity": 3}],
            **fields,
        )

    return make


@pytest.fixture
def verified(personas):
    """The worker persona, real-name certified (the default eligibility rule)."""
    personas.worker.real_name_verified = True
    personas.worker.save(update_fields=["real_name_verified"])
    return personas.worker
