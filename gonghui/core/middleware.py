"""Pages get the same answer as the API when a selector or service refuses: a NotFound outside
the actor's scope is the ordinary 404 page, a Forbidden the 403 page — never a 500."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from .errors import DomainError, http_status_error, is_unavailable

TITLES = {401: "请先登录", 403: "没有权限", 404: "页面不存在", 409: "数据已变化", 429: "操作太频繁"}


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # Errors raised outside Ninja's handlers (unknown path → 404, wrong method → 405) would
            # otherwise leave as an HTML page or English text.
            code, message = http_status_error(response.status_code)
            new = JsonResponse({"code": code, "message": message, "field": None}, status=response.status_code)
            if response.has_header("Allow"):
                new["Allow"] = response["Allow"]
            return new
        return response

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            from .views import unavailable_response

            return unavailable_response(request)
        if not isinstance(exception, DomainError):
            return None
        title = TITLES.get(exception.status, "请求有误")
        return render(
            request,
            "core/error.html",
            {"title": title, "message": exception.message},
            status=exception.status,
        )


NUL_MESSAGE = "请求中含有不允许的控制字符（NUL），请删除后重试"


class RejectNulMiddleware:
    """A NUL character in a parameter or body is refused at the door with a 400.

    PostgreSQL cannot store or even compare text containing NUL, so it would otherwise surface as a
    500 from whichever query first touched it (SQLite would silently store it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "nul_char", "message": NUL_MESSAGE, "field": None}, status=400)
            return render(
                request, "core/error.html", {"title": "请求有误", "message": NUL_MESSAGE}, status=400
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info or "%00" in request.META.get("RAW_URI", ""):
            return True  # /stations/s/%00/: the URL route hands it to a query as is
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            return True
        if request.method not in {"POST", "PUT", "PATCH"}:
            return False
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if not length or length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return False  # oversized bodies are refused later with their own message
        if request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            # Field values only: uploaded files (xlsx imports) legitimately hold NUL bytes.
            return any("\x00" in value for _, values in request.POST.lists() for value in values)
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
