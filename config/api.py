"""The one NinjaAPI at /api/v1/: every error leaves as {"code", "message", "field"} in Chinese."""

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gonghui.accounts.api import router as auth_router
from gonghui.accounts.auth import api_auth
from gonghui.aid.api import router as aid_router
from gonghui.campaigns.api import router as campaigns_router
from gonghui.cases.api import router as cases_router
from gonghui.core.api import router as core_router
from gonghui.core.errors import (
    ERROR_CODES,
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_MESSAGE,
    DomainError,
    http_status_error,
    is_unavailable,
)
from gonghui.core.schemas import add_error_responses
from gonghui.drivers.api import router as drivers_router
from gonghui.funds.api import router as funds_router
from gonghui.honours.api import router as honours_router
from gonghui.library.api import router as library_router
from gonghui.members.api import cards_router, enrollments_router
from gonghui.members.api import router as members_router
from gonghui.mutual_aid.api import router as mutual_aid_router
from gonghui.orgs.api import router as orgs_router
from gonghui.outreach.api import router as outreach_router
from gonghui.proposals.api import router as proposals_router
from gonghui.registration.api import router as registration_router
from gonghui.service_orders.api import router as service_orders_router
from gonghui.site.api import router as site_router
from gonghui.stations.api import router as stations_router
from gonghui.stats.api import router as stats_router

logger = logging.getLogger("gonghui.api")


class GonghuiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        # Every operation declares the error statuses it can answer, all with the one ErrorOut.
        return add_error_responses(super().get_openapi_schema(*args, **kwargs))


api = GonghuiAPI(
    title="gonghui 工会服务平台 API",
    version="1",
    description="工会数字服务平台接口：入会、会员、服务站点、诉求工单等。所有错误返回 {code, message, field}。",
    auth=api_auth,
    urls_namespace="api",
    # Swagger UI comes from django-ninja's bundled static files; no validator badge either, which
    # would otherwise call validator.swagger.io from an intranet that cannot reach it.
    docs=Swagger(settings={"validatorUrl": None}),
)

PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "list_type": "应为列表",
    "value_error": "取值无效",
}


def _error(request, status: int, code: str, message: str, field: str | None = None):
    return api.create_response(request, {"code": code, "message": message, "field": field}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path", "form")]
    field = ".".join(loc) or None
    kind = first.get("type", "")
    message = PYDANTIC_MESSAGES.get(kind, "请求参数不正确")
    if kind == "value_error" and first.get("ctx", {}).get("error"):
        message = str(first["ctx"]["error"])
    elif field:
        message = f"{field}：{message}"
    return _error(request, 422, kind if kind in ERROR_CODES else "invalid", message, field)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthorized", "请先登录，或登录已过期，请重新登录")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "未找到该记录，或不在您的管辖范围内")


@api.exception_handler(OverflowError)
def on_id_overflow(request, exc):
    # An id past 2**63 cannot name a row; SQLite refuses to even bind it (PostgreSQL just finds nothing).
    return _error(request, 404, "not_found", "未找到该记录，或不在您的管辖范围内")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # Ninja's HttpError text is English (e.g. "Cannot parse request body" for broken JSON).
    code, message = http_status_error(exc.status_code)
    return _error(request, exc.status_code, code, message)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    # RequestDataTooBig, TooManyFieldsSent and malformed requests end here.
    return _error(request, 400, "bad_request", "请求过大或格式不正确，请检查后重试")


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    if is_unavailable(exc):
        # A failover in progress: the request did not complete; the client retries (same idempotency key).
        logger.warning("数据库或缓存暂不可用：%s", type(exc).__name__)
        response = _error(request, 503, "unavailable", UNAVAILABLE_MESSAGE)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    logger.exception("API 未处理的异常")
    return _error(request, 500, "server_error", "服务器内部错误，请稍后再试")


api.add_router("", core_router)
api.add_router("", site_router)
# Django tries URL patterns in order and the grab is the one path hit 50,000 times in a minute:
# resolving it among the first patterns instead of after ~90 others saves every request of a rush.
api.add_router("/campaigns", campaigns_router)
api.add_router("/stats", stats_router)
api.add_router("/auth", auth_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
api.add_router("/service-orders", service_orders_router)
api.add_router("/stations", stations_router)
api.add_router("/cases", cases_router)
api.add_router("/enrollments", enrollments_router)
api.add_router("/cards", cards_router)
api.add_router("/mutual-aid", mutual_aid_router)
api.add_router("/aid", aid_router)
api.add_router("/proposals", proposals_router)
api.add_router("/drivers", drivers_router)
api.add_router("/funds", funds_router)
api.add_router("/library", library_router)
api.add_router("/registration", registration_router)
api.add_router("/honours", honours_router)
api.add_router("/outreach", outreach_router)
