"""The surge gate in front of the database: rate limits, the "sold out" flag and the cached grab target.

All live in the Django cache (Redis when REDIS_URL is set, so every app server shares them). None decides
a sale: the flag only lets a sold-out offer answer 已抢完 without a database round trip, and a stale or
missing flag just sends the request on to the conditional UPDATE, which is always right.

When Redis is unreachable (the master died and Sentinel has not yet promoted the replica, ~3 s) the gate
degrades to the database: the grab is let through unthrottled and the conditional UPDATE decides, so it
can never oversell; the flags are simply not written. The per-member limit still holds (it is in the
database), only the per-IP and per-member request rates go uncounted for those seconds."""

from __future__ import annotations

import logging
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("gonghui.campaigns.gate")

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis comes with django-redis
    RedisError = OSError


# A flag may outlive a returned place by at most this long (a cancel clears it, but a grab that saw
# the offer empty just before the cancel committed may set it again afterwards).
SOLD_OUT_TTL = 60
HELD_TTL = 3600


def _redis():
    """The raw redis client when the cache is django-redis, else None (local memory in tests/demo)."""
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        return client.get_client(write=True)
    return None


def _key(*parts) -> str:
    return cache.make_key(":".join(str(p) for p in ("campaigns", *parts)))


def sold_out_key(campaign_id: int, offer_id: int) -> str:
    return _key("soldout", campaign_id, offer_id)


def held_key(offer_id: int, user_id: int) -> str:
    return _key("held", offer_id, user_id)


def target_key(campaign_id: int, offer_id: int) -> str:
    return f"campaigns:target:{campaign_id}:{offer_id}"


def prewarmed_key(campaign_id: int) -> str:
    return f"campaigns:prewarmed:{campaign_id}"


def forget_targets(campaign_id: int, offer_ids=None) -> None:
    """Drop the cached grab targets of these offers (all the campaign's offers when None)."""
    if offer_ids is None:
        from .models import Offer

        offer_ids = list(Offer.objects.filter(campaign_id=campaign_id).values_list("pk", flat=True))
    if offer_ids:
        cache.delete_many([target_key(campaign_id, o) for o in offer_ids])


def forget_targets_after_commit(campaign_id: int, offer_ids=None) -> None:
    # Now and again after commit: a grab in between could read the old row and cache it again.
    forget_targets(campaign_id, offer_ids)
    transaction.on_commit(lambda: forget_targets(campaign_id, offer_ids))


def limits() -> tuple[tuple[int, int], tuple[int, int]]:
    """((member requests, seconds), (IP requests, seconds)). The IP limit is generous on purpose:
    riders behind one carrier-grade NAT address share it."""
    member = getattr(settings, "GONGHUI_GRAB_MEMBER_LIMIT", (5, 10))
    ip = getattr(settings, "GONGHUI_GRAB_IP_LIMIT", (600, 60))
    return tuple(member), tuple(ip)


class Pass(NamedTuple):
    allowed: bool
    retry_after: int
    known_sold_out: bool  # sold out, and this member had not tried before the flag went up
    target: object | None  # the cached grab target (an Offer with its campaign and union), if any


# Everything the gate knows, in one command: both counters, both flags and the cached grab target. In a
# rush every request passes here, and one EVALSHA costs the app server far less than several round trips.
# A counter's window starts at its first hit (INCR then EXPIRE, atomic inside the script).
#
# The "tried" flag (held_key) goes up here, before the sale, for a member let through to the database:
# once the offer is sold out, members who never tried hear 已抢完 from the flag alone, while anyone who
# did (so may hold a ticket) goes on to the database and hears 你已领取 or 已抢完 from it. A flag for a
# member who then lost only costs that member's later taps a database round trip; setting it here spares
# every sale a write after COMMIT.
_HIT_SCRIPT = """
local m = redis.call('INCR', KEYS[1])
if m == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ip = redis.call('INCR', KEYS[2])
if ip == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
local sold = redis.call('EXISTS', KEYS[3])
local tried = redis.call('EXISTS', KEYS[4])
if m > tonumber(ARGV[3]) or ip > tonumber(ARGV[4]) or (sold == 1 and tried == 0) then
  return {m, ip, sold, tried, false}
end
redis.call('SET', KEYS[4], 1, 'EX', ARGV[5])
return {m, ip, sold, tried, redis.call('GET', KEYS[5])}
"""
_hit_script = None


def _run_hit_script(redis, keys: list[str], args: list[int]):
    global _hit_script
    if _hit_script is None:
        _hit_script = redis.register_script(_HIT_SCRIPT)
    return _hit_script(keys=keys, args=args, client=redis)


def hit(user_id: int, ip: str | None, campaign_id: int, offer_id: int) -> Pass:
    """Count one grab attempt and mark the member as having tried; with Redis, one round trip."""
    (m_max, m_win), (ip_max, ip_win) = limits()
    m_key, ip_key = _key("rl:m", user_id), _key("rl:ip", ip or "-")
    sold_key, tried_key = sold_out_key(campaign_id, offer_id), held_key(offer_id, user_id)
    target = None
    redis = _redis()
    if redis is not None:
        keys = [m_key, ip_key, sold_key, tried_key, cache.make_key(target_key(campaign_id, offer_id))]
        try:
            m_count, ip_count, sold_out, held, raw = _run_hit_script(
                redis, keys, [m_win, ip_win, m_max, ip_max, HELD_TTL]
            )
        except RedisError as exc:
            logger.warning("抢购闸门：Redis 不可用（%s），本次由数据库判定", type(exc).__name__)
            return Pass(True, 0, False, None)
        if raw is not None:
            target = cache.client.decode(raw)
    else:
        counts = []
        for key, window in ((m_key, m_win), (ip_key, ip_win)):
            cache.add(key, 0, window, version=None)
            try:
                counts.append(cache.incr(key))
            except ValueError:  # expired between add and incr
                cache.set(key, 1, window)
                counts.append(1)
        m_count, ip_count = counts
        found = cache.get_many([sold_key, tried_key, target_key(campaign_id, offer_id)])
        sold_out, held = sold_key in found, tried_key in found
        target = found.get(target_key(campaign_id, offer_id))
        if m_count <= m_max and ip_count <= ip_max and not (sold_out and not held):
            cache.set(tried_key, 1, HELD_TTL)
    if m_count > m_max:
        return Pass(False, m_win, False, None)
    if ip_count > ip_max:
        return Pass(False, ip_win, False, None)
    return Pass(True, 0, bool(sold_out) and not held, target)


def _set(key: str, ttl: int) -> None:
    redis = _redis()
    if redis is not None:
        try:
            redis.set(key, 1, ex=ttl)
        except RedisError:
            logger.warning("抢购闸门：Redis 不可用，未写入 %s", key)
    else:
        cache.set(key, 1, ttl)


def _delete(key: str) -> None:
    redis = _redis()
    if redis is not None:
        try:
            redis.delete(key)
        except RedisError:
            # A sold-out flag that could not be cleared expires within SOLD_OUT_TTL.
            logger.warning("抢购闸门：Redis 不可用，未删除 %s", key)
    else:
        cache.delete(key)


def mark_sold_out(campaign_id: int, offer_id: int) -> None:
    _set(sold_out_key(campaign_id, offer_id), SOLD_OUT_TTL)


def clear_sold_out(campaign_id: int, offer_id: int) -> None:
    _delete(sold_out_key(campaign_id, offer_id))


def mark_held(offer_id: int, user_id: int) -> None:
    """Remember that this user holds a ticket they did not grab (a place passed on from the waitlist), so
    after the sell-out they hear 你已领取, not 已抢完. A grab sets the flag itself, in hit()."""
    _set(held_key(offer_id, user_id), HELD_TTL)


def clear_held(offer_id: int, user_id: int) -> None:
    _delete(held_key(offer_id, user_id))
