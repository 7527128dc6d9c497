"""The one API error schema, and the responses every operation declares with it.

Every error of /api/v1/ leaves as ``ErrorOut`` (``{"code", "message", "field"}``, message in Chinese):
``config/api.py`` turns DomainError, validation, auth and HTTP errors into it, and
``add_error_responses(schema)`` declares 400/401/403/404/409/413/415/422/429 with ``ErrorOut`` on every
operation of the OpenAPI document, so a new router needs to do nothing for that. The codes are
enumerated in ``gonghui.core.errors.ERROR_CODES``.

An operation that wants them in its own ``response=`` (e.g. to show them first in the docs)::

    from gonghui.core.schemas import ERRORS, ErrorOut
    @router.post("", response={201: ThingOut, **ERRORS})
"""

from __future__ import annotations

from ninja import Field, Schema

ERROR_STATUSES = {
    400: "请求有误（字段取值、业务规则）",
    401: "未登录或登录已过期",
    403: "没有执行此操作的权限",
    404: "未找到，或不在您的管辖范围内",
    409: "数据已变化或与现有记录冲突",
    413: "请求或上传的文件过大",
    415: "请求体应为 JSON",
    422: "参数格式不正确",
    429: "操作太频繁，请稍后再试",
    503: "系统正在切换（数据库或缓存主备切换），请按 Retry-After 稍后重试",
}


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，见 gonghui.core.errors.ERROR_CODES 与 docs/security.md")
    message: str = Field(description="中文说明：哪个字段、如何改正")
    field: str | None = Field(None, description="出错的字段名；与字段无关时为 null")


ERRORS = dict.fromkeys(ERROR_STATUSES, ErrorOut)


def add_error_responses(schema: dict) -> dict:
    """Declare every ERROR_STATUSES response with ErrorOut on every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return schema
