from django.conf import settings
from django.contrib.auth import authenticate
from ninja import Router, Schema

from gonghui.core.errors import DomainError, RateLimited, Unauthorized, field_value
from gonghui.core.validators import normalize_mobile

from . import services
from .otp import staff_otp_ok
from .staff import is_staff_member

router = Router(tags=["登录"])


class CodeIn(Schema):
    phone: str


class CodeOut(Schema):
    sent: bool
    demo_code: str | None = None


class LoginIn(Schema):
    phone: str
    password: str | None = None
    code: str | None = None
    otp: str | None = None


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_in: int


class MeOut(Schema):
    id: int
    name: str
    phone_masked: str
    is_union_staff: bool
    real_name_verified: bool


@router.post("/code", auth=None, response=CodeOut, summary="发送登录验证码")
def send_code(request, payload: CodeIn):
    code = services.login_code_issue(phone=payload.phone)
    return {"sent": True, "demo_code": code if settings.GONGHUI_SHOW_LOGIN_CODE else None}


@router.post("/login", auth=None, response=TokenOut, summary="登录并获取令牌")
def login(request, payload: LoginIn):
    field_value(payload.phone, "phone", normalize_mobile)
    if not services.login_ip_allowed(request):
        raise RateLimited(services.IP_THROTTLE_MESSAGE, code="ip_throttled")
    if not payload.password and not payload.code:
        raise DomainError("请填写密码或验证码", code="required", field="password")
    credentials = {"phone": payload.phone}
    credentials.update({"password": payload.password} if payload.password else {"code": payload.code})
    user = authenticate(request, **credentials)
    if getattr(request, "axes_locked_out", False):
        raise RateLimited(
            "登录失败次数过多，账号已临时锁定，请30分钟后再试；本人可先获取验证码，再调用 POST /auth/unlock 立即解锁",
            code="locked_out",
            field="phone",
        )
    if user is None:
        services.login_ip_failed(request)
        raise Unauthorized("手机号或密码/验证码不正确", code="login_failed", field="password")
    if is_staff_member(user) and not staff_otp_ok(user, payload.otp):
        raise Unauthorized("请输入正确的动态口令（6位数字）", code="otp_required", field="otp")
    token = services.api_token_issue(user=user)
    return {"token": token, "expires_in": settings.GONGHUI_API_TOKEN_TTL_HOURS * 3600}


class UnlockIn(Schema):
    phone: str
    code: str


class OkOut(Schema):
    ok: bool


@router.post("/unlock", auth=None, response=OkOut, summary="本人用验证码解除账号锁定")
def unlock(request, payload: UnlockIn):
    field_value(payload.phone, "phone", normalize_mobile)
    if not services.login_ip_allowed(request):
        raise RateLimited(services.IP_THROTTLE_MESSAGE, code="ip_throttled")
    if services.account_unlock(request=request, phone=payload.phone, code=payload.code) is None:
        raise Unauthorized("手机号或验证码不正确", code="login_failed", field="code")
    return {"ok": True}


@router.post("/logout", summary="注销令牌")
def logout(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.api_token_revoke(raw=header[7:].strip())
    return {"ok": True}


@router.get("/me", response=MeOut, summary="当前用户")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "name": user.name,
        "phone_masked": user.phone_masked,
        "is_union_staff": is_staff_member(user),
        "real_name_verified": user.real_name_verified,
    }
