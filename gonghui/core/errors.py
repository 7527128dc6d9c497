"""One error shape for pages and API: {"code", "message", "field"} with a Chinese message."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = "请求无效"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
    ):
        self.message = message or self.default_message
        self.code = code or self.code
        self.field = field
        if status is not None:
            self.status = status
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}

    @classmethod
    def from_validation(cls, exc: ValidationError, field: str | None = None) -> DomainError:
        """Wrap a Django ValidationError raised by a validator, keeping its Chinese message and code."""
        error = exc.error_list[0] if hasattr(exc, "error_list") else exc
        message = error.message % error.params if getattr(error, "params", None) else error.message
        return cls(str(message), code=error.code or "invalid", field=field)


class NotFound(DomainError):
    """Also used when the record exists but lies outside the actor's scope: never leak existence."""

    status = 404
    code = "not_found"
    default_message = "未找到该记录，或不在您的管辖范围内"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = "您没有执行此操作的权限"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    default_message = "请先登录"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "数据已变化，请刷新后重试"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_message = "操作太频繁，请稍后再试"


class Invalid(DomainError):
    """Several field errors found in one pass, so a form can show them all at once. The API shape stays
    the one error: the first is the answer's code, message and field; pages read `errors`."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.message, code=first.code, field=first.field, status=first.status)
        self.errors = errors


class ErrorCollector:
    """Check every field before giving up:

    errors = ErrorCollector()
    with errors.check():
        name = clean_name(name)
    with errors.check():
        id_number = clean_id(id_number)
    errors.raise_if_any()
    """

    def __init__(self):
        self.errors: list[DomainError] = []

    @contextlib.contextmanager
    def check(self):
        try:
            yield
        except DomainError as exc:
            self.errors.extend(getattr(exc, "errors", None) or [exc])

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise Invalid(self.errors)


def field_value(cleaned, field: str, validator):
    """Run a validator and report its failure against the named field."""
    try:
        return validator(cleaned)
    except ValidationError as exc:
        raise DomainError.from_validation(exc, field=field) from exc


HTTP_STATUS_ERRORS = {
    400: ("json_invalid", "请求体不是有效的 JSON，请检查格式后重试"),
    401: ("unauthorized", "请先登录，或登录已过期，请重新登录"),
    403: ("forbidden", "您没有执行此操作的权限"),
    404: ("not_found", "未找到该记录，或不在您的管辖范围内"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "请求过大，请检查后重试"),
    415: ("unsupported_media_type", "请求体应为 JSON（Content-Type: application/json）"),
}


def http_status_error(status: int) -> tuple[str, str]:
    """(code, Chinese message) for an HTTP error that carries no message of ours."""
    return HTTP_STATUS_ERRORS.get(status, ("http_error", "请求有误，请检查后重试"))
