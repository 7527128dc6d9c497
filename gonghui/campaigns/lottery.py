"""The published lottery algorithm. Pure Python, no Django: anyone can copy this file and re-run a draw.

Inputs, all published on the campaign's 抽签公示 page and at GET /api/v1/campaigns/{id}/draw:
  seed      64 hex characters; before the draw only SHA-256(seed) (the commitment) is public.
  offer_id  the integer id of the offer (each offer of a campaign is drawn separately).
  entrants  [(entry_id, weight), ...] — entry ids are assigned in registration order.
  capacity  the number of places.

Algorithm (version "gonghui-lottery-v1"):
  1. Sort entrants by entry_id ascending.
  2. Expand: an entrant with weight w appears w times in a row (weight ≥ 1; 2 = "上次未中签" priority).
  3. Random numbers are a SHA-256 hash chain: r(k) = int(SHA-256(f"{seed}:{offer_id}:{k}"), big-endian),
     k = 0, 1, 2, …
  4. Seeded Fisher–Yates: for i from n-1 down to 1, with k counting from 0:
     j = r(k) mod (i + 1); swap positions i and j. (A 256-bit number mod n < 2^32: bias below 2^-220.)
  5. Walk the shuffled list and keep each entry_id the first time it appears: this is the draw order.
  6. The first `capacity` entries in draw order win; the rest, in draw order, form the waiting list.

Run `python gonghui/campaigns/lottery.py draw.json` on the JSON published by the API to check a draw.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys

ALGORITHM = "gonghui-lottery-v1"


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def verify_commitment(seed: str, published: str) -> bool:
    return hmac.compare_digest(commitment(seed), published)


def _rand(seed: str, offer_id: int, k: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{offer_id}:{k}".encode("ascii")).digest(), "big")


def draw_order(seed: str, offer_id: int, entrants: list[tuple[int, int]]) -> list[int]:
    """Entry ids in draw order (winners first)."""
    tickets: list[int] = []
    for entry_id, weight in sorted(entrants):
        tickets.extend([entry_id] * max(1, int(weight)))
    for k, i in enumerate(range(len(tickets) - 1, 0, -1)):
        j = _rand(seed, offer_id, k) % (i + 1)
        tickets[i], tickets[j] = tickets[j], tickets[i]
    seen: set[int] = set()
    order = []
    for entry_id in tickets:
        if entry_id not in seen:
            seen.add(entry_id)
            order.append(entry_id)
    return order


def draw(
    seed: str, offer_id: int, entrants: list[tuple[int, int]], capacity: int
) -> tuple[list[int], list[int]]:
    """(winners, waiting list), both as entry ids in draw order."""
    order = draw_order(seed, offer_id, entrants)
    return order[:capacity], order[capacity:]


def verify_publication(record: dict) -> list[str]:
    """Re-run every offer of a published draw record; return the problems found (empty = it checks out)."""
    problems = []
    seed = record["seed"]
    if not verify_commitment(seed, record["seed_commitment"]):
        problems.append("种子与事先公布的承诺值不符")
    for offer in record["offers"]:
        entrants = [(e["entry_id"], e["weight"]) for e in offer["entrants"]]
        winners, waiting = draw(seed, offer["offer_id"], entrants, offer["capacity"])
        if winners != offer["winners"] or waiting != offer["waitlist"]:
            problems.append(f"{offer['name']}：重新抽签结果与公示不一致")
    return problems


if __name__ == "__main__":  # pragma: no cover - a command for the public, exercised by hand
    with open(sys.argv[1], encoding="utf-8") as fh:
        found = verify_publication(json.load(fh))
    print("\n".join(found) if found else "复核一致：种子与承诺值相符，中签名单与公示一致")
    sys.exit(1 if found else 0)
