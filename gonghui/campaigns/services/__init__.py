"""Writes for campaigns: create, grab, lottery entry and draw, waiting list, cancel, redeem.

The sale rule (DESIGN.md §4.4): a place is sold by `UPDATE offer SET remaining = remaining - 1 WHERE id = …
AND remaining > 0` and a ticket row under the unique (member, offer) constraint, in one short transaction
(on PostgreSQL a single statement, see _sell_in_one_statement). Nothing else — not the cache, not a count
read earlier — decides whether a member gets a place.

A package split by topic (editing, grab, waitlist, redeem); every public name is re-exported here, so
`from gonghui.campaigns.services import X` keeps working."""

from .common import (
    MANAGE_ROLES,
    MAX_CAPACITY,
    MAX_OFFERS,
    OCCUPATION_LABELS,
    REDEEM_ROLES,
    GrabOutcome,
    GrabRefused,
)
from .editing import (
    campaign_create,
    campaign_editable,
    campaign_set_redeemers,
    campaign_update,
    campaign_withdraw,
)
from .grab import (
    GRAB_TARGET_TTL,
    PREWARM_MINUTES,
    campaign_prewarm,
    campaign_rule_apply,
    campaigns_prewarm_due,
    eligibility_rule_register,
    ineligibility,
    member_of,
    offer_grab,
    real_name_refusal,
)
from .redeem import may_redeem, redeem_warnings, redeemable_offer_get, ticket_for_redeem, ticket_redeem
from .waitlist import campaign_draw, cancel_deadline, ticket_cancel, waitlist_join, waitlist_position

__all__ = [
    "GRAB_TARGET_TTL",
    "MANAGE_ROLES",
    "MAX_CAPACITY",
    "MAX_OFFERS",
    "OCCUPATION_LABELS",
    "PREWARM_MINUTES",
    "REDEEM_ROLES",
    "GrabOutcome",
    "GrabRefused",
    "campaign_create",
    "campaign_draw",
    "campaign_editable",
    "campaign_prewarm",
    "campaign_rule_apply",
    "campaign_set_redeemers",
    "campaign_update",
    "campaign_withdraw",
    "campaigns_prewarm_due",
    "cancel_deadline",
    "eligibility_rule_register",
    "ineligibility",
    "may_redeem",
    "member_of",
    "offer_grab",
    "real_name_refusal",
    "redeem_warnings",
    "redeemable_offer_get",
    "ticket_cancel",
    "ticket_for_redeem",
    "ticket_redeem",
    "waitlist_join",
    "waitlist_position",
]
