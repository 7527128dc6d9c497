"""Sign-in: one-time codes, API tokens, passwords."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError, RateLimited, field_value
from gonghui.core.rows import columns_sql, fields_of, from_row, value_from_db
from gonghui.core.sms import send_sms
from gonghui.core.validators import normalize_mobile

from .models import ApiToken, LoginCode, User, phone_index

CODE_RESEND_SECONDS = 60
CODE_MAX_ATTEMPTS = 5  # wrong tries per code; then a new code is needed
# Wrong tries per phone over all its codes in PHONE_FAILURE_WINDOW: then no code is accepted or sent for
# that phone until the window has passed (the /join/ form and the sign-in alike).
PHONE_MAX_FAILURES = 10
PHONE_FAILURE_WINDOW = dt.timedelta(hours=1)
# Failed sign-ins per client IP (any account) in IP_FAILURE_WINDOW before that IP must wait. High, because
# riders share carrier-grade NAT addresses; the per-account lock (django-axes) stays at 5.
IP_MAX_FAILURES = 50
IP_FAILURE_WINDOW = dt.timedelta(minutes=15)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@transaction.atomic
def login_code_issue(*, phone: str) -> str:
    """Create a 6-digit code for this phone and send it. Returns the code (shown in demo mode)."""
    phone = field_value(phone, "phone", normalize_mobile)
    index = phone_index(phone)
    now = timezone.now()
    if phone_code_blocked(index, now):
        raise RateLimited(
            f"验证码错误次数过多，请 {int(PHONE_FAILURE_WINDOW.total_seconds() // 60)} 分钟后再获取新验证码",
            code="otp_attempts",
            field="phone",
        )
    recent = LoginCode.objects.filter(
        phone_index=index, created_at__gt=now - dt.timedelta(seconds=CODE_RESEND_SECONDS)
    ).exists()
    if recent:
        raise RateLimited(f"验证码已发送，请 {CODE_RESEND_SECONDS} 秒后再试", field="phone")
    code = f"{secrets.randbelow(10**6):06d}"
    LoginCode.objects.create(
        phone_index=index,
        code_hash=_hash(f"{index}:{code}"),
        expires_at=now + dt.timedelta(seconds=settings.GONGHUI_LOGIN_CODE_TTL_SECONDS),
    )
    if not settings.GONGHUI_SHOW_LOGIN_CODE:
        transaction.on_commit(lambda: send_sms(phone, f"【工会】您的登录验证码是 {code}，5分钟内有效。"))
    return code


def phone_code_blocked(index: str, now: dt.datetime | None = None) -> bool:
    """Too many wrong codes for this phone (blind index) lately: no code is accepted or sent."""
    from django.db.models import Sum

    now = now or timezone.now()
    failures = LoginCode.objects.filter(
        phone_index=index, created_at__gt=now - PHONE_FAILURE_WINDOW
    ).aggregate(n=Sum("attempts"))["n"]
    return (failures or 0) >= PHONE_MAX_FAILURES


def login_code_consume(*, phone: str, code: str) -> bool:
    """True when the code is the latest unexpired one for this phone; each code works once. A code
    dies after CODE_MAX_ATTEMPTS wrong tries, a phone after PHONE_MAX_FAILURES (see phone_code_blocked)."""
    try:
        index = phone_index(normalize_mobile(phone))
    except ValidationError:
        return False
    with transaction.atomic():
        latest = (
            LoginCode.objects.select_for_update()
            .filter(phone_index=index, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.attempts >= CODE_MAX_ATTEMPTS or phone_code_blocked(index):
            return False
        if not hmac.compare_digest(latest.code_hash, _hash(f"{index}:{(code or '').strip()}")):
            latest.attempts += 1
            latest.save(update_fields=["attempts"])
            return False
        latest.used_at = timezone.now()
        latest.save(update_fields=["used_at"])
        return True


def user_get_or_create_by_phone(*, phone: str, actor=None, org=None) -> User:
    """Workers need no separate registration: a verified phone number creates the account. A staffer who
    appoints someone without an account (orgs.services.staff_assign_by_phone) creates it on their behalf;
    the audit row then names the staffer and the union."""
    phone = normalize_mobile(phone)
    index = phone_index(phone)
    user = User.objects.filter(phone_index=index).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(phone)
                audit_record(actor=actor or user, action="user.register", obj=user, org=org)
        except IntegrityError:
            # The same number signed in twice at once: the other request created the account.
            user = User.objects.get(phone_index=index)
    return user


@transaction.atomic
def user_name_set(*, actor, user: User, name: str, org=None) -> User:
    """Gives a nameless account its name (a staffer appointing someone by phone and name). A name the
    person already has is never overwritten by someone else."""
    if user.name or not name:
        return user
    user.name = name
    user.save(update_fields=["name"])
    audit_record(actor=actor, action="user.name_set", obj=user, org=org)
    return user


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        expires_at=now + dt.timedelta(hours=settings.GONGHUI_API_TOKEN_TTL_HOURS),
        last_used_at=now,
    )
    audit_record(actor=user, action="auth.token_issue", obj=user)
    # A worker signs in and goes to the countdown: the calls that follow, the grab among them, find the
    # token in the cache instead of all asking the database in the same second.
    entry = (token.pk, token.expires_at, now, cacheable_user(copy.copy(user)))
    transaction.on_commit(lambda: _cache_tokens({token.key_hash: entry}, now))
    return raw


# A Bearer request costs no database query while its token is in the cache (Redis in production, shared
# by every app server): from sign-in, and again from each use, for TOKEN_CACHE_TTL. The entry is dropped
# when the token is revoked or deleted and when the user is saved (deactivated, re-verified, password
# changed); see signals.py. A bulk `.update()` of users bypasses that (the code has none), so the TTL
# bounds how long such a change could go unnoticed, and how much of the cache idle tokens take.
TOKEN_CACHE_TTL = 3600
# last_used_at is informational (the token list shows "last used"): an hour's precision is enough. Each
# touch is a database write and a cache write; at 5 minutes, a rush that outlasted them (the ten-fold rush,
# 24 minutes) paid both on nearly every request after its fifth minute, 2.9 instead of 1.2 ms CPU per answer.
TOKEN_TOUCH_EVERY = dt.timedelta(hours=1)
_USER_NOT_CACHED = ("password",)
_TOKEN_USER_DEFER = tuple(f"user__{name}" for name in _USER_NOT_CACHED)


def token_cache_key(key_hash: str) -> str:
    return f"accounts:apitoken:{key_hash}"


def cacheable_user(user: User) -> User:
    """The user without personal data or the password hash, which stay out of the cache (reading them
    later costs a query); the masked phone that audit labels and pages show is kept."""
    user.__dict__["_phone_masked"] = user.phone_masked
    user.__dict__.pop("phone", None)
    user.__dict__.pop("password", None)
    return user


def forget_api_tokens(key_hashes) -> None:
    cache.delete_many([token_cache_key(h) for h in key_hashes])


def api_token_user(raw: str) -> User | None:
    key_hash = _hash(raw)
    now = timezone.now()
    cached = cache.get(token_cache_key(key_hash))
    if cached is not None:
        token_id, expires_at, last_used_at, user = cached
        if expires_at <= now or not user.is_active:
            return None
    else:
        found = _token_lookup(key_hash, now)
        if found is None:
            return None
        token_id, expires_at, last_used_at, user = found
        user = cacheable_user(user)
    if last_used_at is None or now - last_used_at > TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        last_used_at = now
        cached = None
    if cached is None:
        _cache_tokens({key_hash: (token_id, expires_at, last_used_at, user)}, now)
    return user


@functools.cache
def _token_lookup_shape(vendor: str):
    user_fields = fields_of(
        User, [f.name for f in User._meta.concrete_fields if f.name not in _USER_NOT_CACHED]
    )
    token_fields = fields_of(ApiToken, ["id", "expires_at", "last_used_at"])
    qn = connection.ops.quote_name
    token, user = ApiToken._meta, User._meta
    sql = (
        f"SELECT {columns_sql(user_fields, 'u')}, {columns_sql(token_fields, 't')} "
        f"FROM {qn(token.db_table)} t JOIN {qn(user.db_table)} u "
        f"ON u.{qn(user.pk.column)} = t.{qn(token.get_field('user').column)} "
        f"WHERE t.{qn(token.get_field('key_hash').column)} = %s AND t.{qn(token.get_field('expires_at').column)} > %s "
        f"AND u.{qn(user.get_field('is_active').column)} = %s"
    )
    return sql, user_fields, token_fields


def _token_lookup(key_hash: str, now: dt.datetime):
    """(token id, expires_at, last_used_at, user) of a valid token of an active user, or None. Hand-written
    SQL: a rush with a cold cache runs this once per request, and building it through the ORM
    (select_related + defer) cost four times the CPU of the query itself."""
    sql, user_fields, token_fields = _token_lookup_shape(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_hash, connection.ops.adapt_datetimefield_value(now), True])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(user_fields)
    token_id, expires_at, last_used_at = (
        value_from_db(f, v) for f, v in zip(token_fields, row[n:], strict=True)
    )
    return token_id, expires_at, last_used_at, from_row(User, user_fields, row[:n])


def _cache_tokens(entries: dict, now: dt.datetime) -> None:
    soonest = min(expires_at for _, expires_at, _, _ in entries.values())
    ttl = min(TOKEN_CACHE_TTL, int((soonest - now).total_seconds()))
    if ttl <= 0:
        return
    if len(entries) == 1:  # a request's own token: a plain SET, not a pipeline
        ((key_hash, entry),) = entries.items()
        cache.set(token_cache_key(key_hash), entry, ttl)
    else:
        cache.set_many({token_cache_key(h): entry for h, entry in entries.items()}, ttl)


def api_tokens_warm(tokens) -> None:
    """Put these tokens (an ApiToken queryset) in the cache in bulk, as recent use would have."""
    now = timezone.now()
    entries = {
        t.key_hash: (t.pk, t.expires_at, t.last_used_at, cacheable_user(t.user))
        for t in tokens.select_related("user")
        .defer(*_TOKEN_USER_DEFER)
        .filter(expires_at__gt=now, user__is_active=True)
    }
    if entries:
        _cache_tokens(entries, now)


@transaction.atomic
def api_token_revoke(*, raw: str) -> None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(raw)).first()
    if token is None:
        return
    token.delete()  # the post_delete signal drops the cached entry once this commits
    audit_record(actor=token.user, action="auth.token_revoke", obj=token.user)


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="password_weak", field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=user, action="user.password_change", obj=user)
    # Every other device signs in again; the page that changed it keeps its session
    # (update_session_auth_hash) and an API caller gets a new token by signing in.
    user_sessions_end(actor=user, user=user, reason="password_change")


def user_sessions_end(*, actor, user: User, reason: str) -> int:
    """End every session and API token of `user` (password change, staff post revoked, membership lapsed,
    account disabled). Sessions die at their next request: the session auth hash includes auth_epoch.
    Returns the number of API tokens revoked."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(auth_epoch=models.F("auth_epoch") + 1)
        user.refresh_from_db(fields=["auth_epoch"])
        tokens = list(ApiToken.objects.filter(user=user))
        for token in tokens:
            token.delete()  # post_delete drops each cached token after commit
        audit_record(
            actor=actor,
            action="auth.sessions_end",
            obj=user,
            detail={"reason": reason, "tokens": len(tokens)},
        )
    return len(tokens)


def _client_ip(request) -> str:
    from gonghui.core.context import current_ip

    return current_ip.get() or request.META.get("REMOTE_ADDR", "") or "unknown"


def login_ip_allowed(request) -> bool:
    """False when this client IP has failed to sign in IP_MAX_FAILURES times in IP_FAILURE_WINDOW."""
    return cache.get(f"accounts:ipfail:{_client_ip(request)}", 0) < IP_MAX_FAILURES


def login_ip_failed(request) -> None:
    key = f"accounts:ipfail:{_client_ip(request)}"
    if not cache.add(key, 1, int(IP_FAILURE_WINDOW.total_seconds())):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, int(IP_FAILURE_WINDOW.total_seconds()))


IP_THROTTLE_MESSAGE = "此网络登录失败次数过多，请15分钟后再试"


def account_unlock(*, request, phone: str, code: str) -> User | None:
    """The owner of a locked account proves the registered phone with a one-time code: the lock
    (django-axes, per account) is lifted. Returns the user, or None when the code is wrong."""
    from axes.utils import reset

    from .backends import axes_username

    if not login_code_consume(phone=phone, code=code):
        login_ip_failed(request)
        return None
    user = user_get_or_create_by_phone(phone=phone)
    reset(username=axes_username(request, {"phone": phone}))
    audit_record(actor=user, action="auth.unlock", obj=user)
    return user


def password_expired(user: User) -> bool:
    days = settings.GONGHUI_PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password() or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > dt.timedelta(days=days)


# --- 实名认证 ----------------------------------------------------------------------------------------

REAL_NAME_METHODS = dict(User._meta.get_field("real_name_method").choices)


def real_name_certify(*, actor, user: User, method: str, org=None) -> User:
    """Record that the person behind this account is who their 身份证号 says: how, by whom, when.
    Called by the member services when an approver checked the ID (入会审批, 领证, 现场核验) and by the
    online verifier path. Idempotent: an account already certified keeps its first record."""
    if method not in REAL_NAME_METHODS:
        raise DomainError("实名认证方式无效", code="realname_method_invalid", field="method")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.real_name_verified:
            return locked
        locked.real_name_verified = True
        locked.real_name_method = method
        locked.real_name_by = actor if getattr(actor, "pk", None) and actor.pk != locked.pk else None
        locked.real_name_at = timezone.now()
        locked.save(update_fields=["real_name_verified", "real_name_method", "real_name_by", "real_name_at"])
        audit_record(actor=actor, action="realname.certify", obj=locked, org=org, detail={"method": method})
        hashes = list(ApiToken.objects.filter(user=locked).values_list("key_hash", flat=True))
        # Cached API users carry the flag: let the next call read the account again.
        transaction.on_commit(lambda: forget_api_tokens(hashes))
    user.real_name_verified, user.real_name_method = True, method
    user.real_name_by, user.real_name_at = locked.real_name_by, locked.real_name_at
    return locked
