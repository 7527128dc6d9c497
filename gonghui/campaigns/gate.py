"""The surge gate in front of the database: rate limits and the "sold out" flag.

Both live in the Django cache (Redis when REDIS_URL is set, so every app server shares them). Neither
decides a sale: the flag only lets a sold-out offer answer 已抢完 without a database round trip, and a
stale or missing flag just sends the request on to the conditional UPDATE, which is always right."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

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


def limits() -> tuple[tuple[int, int], tuple[int, int]]:
    """((member requests, seconds), (IP requests, seconds)). The IP limit is generous on purpose:
    riders behind one carrier-grade NAT address share it."""
    member = getattr(settings, "GONGHUI_GRAB_MEMBER_LIMIT", (5, 10))
    ip = getattr(settings, "GONGHUI_GRAB_IP_LIMIT", (600, 60))
    return tuple(member), tuple(ip)


def hit(user_id: int, ip: str | None, campaign_id: int, offer_id: int) -> tuple[bool, int, bool]:
    """Count one grab attempt. Returns (allowed, retry_after_seconds, offer_known_sold_out_and_not_held).

    With Redis this is one pipelined round trip for both counters and both flags."""
    (m_max, m_win), (ip_max, ip_win) = limits()
    m_key, ip_key = _key("rl:m", user_id), _key("rl:ip", ip or "-")
    redis = _redis()
    if redis is not None:
        pipe = redis.pipeline(transaction=False)
        pipe.set(m_key, 0, ex=m_win, nx=True)
        pipe.incr(m_key)
        pipe.set(ip_key, 0, ex=ip_win, nx=True)
        pipe.incr(ip_key)
        pipe.exists(sold_out_key(campaign_id, offer_id))
        pipe.exists(held_key(offer_id, user_id))
        _, m_count, _, ip_count, sold_out, held = pipe.execute()
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
        found = cache.get_many([sold_out_key(campaign_id, offer_id), held_key(offer_id, user_id)])
        sold_out, held = sold_out_key(campaign_id, offer_id) in found, held_key(offer_id, user_id) in found
    if m_count > m_max:
        return False, m_win, False
    if ip_count > ip_max:
        return False, ip_win, False
    return True, 0, bool(sold_out) and not held


def _set(key: str, ttl: int) -> None:
    redis = _redis()
    if redis is not None:
        redis.set(key, 1, ex=ttl)
    else:
        cache.set(key, 1, ttl)


def _delete(key: str) -> None:
    redis = _redis()
    if redis is not None:
        redis.delete(key)
    else:
        cache.delete(key)


def mark_sold_out(campaign_id: int, offer_id: int) -> None:
    _set(sold_out_key(campaign_id, offer_id), SOLD_OUT_TTL)


def clear_sold_out(campaign_id: int, offer_id: int) -> None:
    _delete(sold_out_key(campaign_id, offer_id))


def mark_held(offer_id: int, user_id: int) -> None:
    """Remember that this user holds a ticket, so after the sell-out they hear 你已领取, not 已抢完."""
    _set(held_key(offer_id, user_id), HELD_TTL)


def clear_held(offer_id: int, user_id: int) -> None:
    _delete(held_key(offer_id, user_id))
