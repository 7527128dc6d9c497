"""Where honours needs an answer only the funds app has (prize money on the ledger, a studio's funding).

The funds app reads honours (the training subsidy reads `selectors.certificate_level_of`), so honours may not
import funds (that would be a two-app loop; docs/architecture.md §1). Instead funds plugs its public services in
at start-up (`gonghui/funds/apps.py` → `money_register`), the way members plugs counts into orgs. Without funds
installed the ports stay empty: a selection with a prize then cannot be awarded (`prize_unbooked`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Money:
    # prize_book(*, actor, payer, scheme_id, member, amount, title, ref) -> application number
    prize_book: Callable
    # prize_scheme_check(*, actor, payer, scheme_id) -> the scheme's label; raises DomainError if unusable
    prize_scheme_check: Callable
    # application_lookup(*, actor, number) -> {"number", "label", "amount", "status", "year", "org_id"}
    application_lookup: Callable
    # prize_schemes(*, actor) -> [(id, label)] award schemes the actor's unions may pay prizes from
    prize_schemes: Callable


_money: Money | None = None


def money_register(money: Money) -> None:
    global _money
    _money = money


def money() -> Money | None:
    return _money
