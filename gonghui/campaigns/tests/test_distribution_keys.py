"""docs/scale.md: on a distributed PostgreSQL (Citus) campaigns_offer and campaigns_ticket are distributed by
campaign_id. A statement of the grab that does not name campaign_id would fan out to every node (or, for an
UPDATE, lock rows on all of them): this test fails on such a statement."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.campaigns import services
from gonghui.testing.factories import make_member, make_user

DISTRIBUTED = {"campaigns_offer": "campaign_id", "campaigns_ticket": "campaign_id"}
# Where a reference to the table starts, and where the clause that may filter it ends.
REF = re.compile(r'\b(UPDATE|FROM|JOIN|INTO|DELETE FROM)\s+"?(campaigns_offer|campaigns_ticket)"?', re.I)
END = re.compile(r"\bRETURNING\b|\)\s*,|\bORDER BY\b|\bLIMIT\b|\bUNION\b|$", re.I)


def missing_distribution_key(sql: str) -> list[str]:
    """The table references in `sql` whose clause never mentions the table's distribution column."""
    misses = []
    for ref in REF.finditer(sql):
        table = ref.group(2).lower()
        rest = sql[ref.end() :]
        clause = rest[: END.search(rest).start()]
        if ref.group(1).upper() == "INTO":
            clause = clause.split(")", 1)[0]  # the column list of the INSERT
        if DISTRIBUTED[table] not in clause:
            misses.append(f"{ref.group(1).upper()} {table}: {clause.strip()[:160]}")
    return misses


def test_the_checker_catches_a_statement_without_the_key():
    assert missing_distribution_key('UPDATE "campaigns_offer" SET "remaining" = 1 WHERE "id" = 5')
    assert not missing_distribution_key(
        'UPDATE "campaigns_offer" SET "remaining" = 1 WHERE "id" = 5 AND "campaign_id" = 2'
    )
    assert missing_distribution_key('INSERT INTO "campaigns_ticket" ("member_id", "offer_id") VALUES (1, 2)')


@pytest.mark.django_db
def test_every_grab_statement_names_the_campaign(personas, make_campaign):
    campaign = make_campaign(offers=[{"name": "电影券", "capacity": 1}], real_name_required=False)
    offer = campaign.offers.get()
    buyers = []
    for i in range(2):
        user = make_user(name=f"职工{i}")
        make_member(personas.tree.county, user=user, name=f"职工{i}")
        buyers.append(user)
    with CaptureQueriesContext(connection) as captured:
        services.offer_grab(actor=buyers[0], campaign_id=campaign.pk, offer_id=offer.pk, idempotency_key="k1")
        services.offer_grab(actor=buyers[0], campaign_id=campaign.pk, offer_id=offer.pk, idempotency_key="k1")
        with pytest.raises(services.GrabRefused):
            services.offer_grab(actor=buyers[1], campaign_id=campaign.pk, offer_id=offer.pk)
    statements = [q["sql"] for q in captured.captured_queries]
    assert any("campaigns_offer" in s for s in statements)  # the sale did run through here
    misses = [m for s in statements for m in missing_distribution_key(s)]
    assert not misses, "\n".join(misses)
