"""Pages get the same answer as the API when a selector or service refuses: a NotFound outside
the actor's scope is the ordinary 404 page, a Forbidden the 403 page — never a 500."""

from django.shortcuts import render

from .errors import DomainError

TITLES = {401: "请先登录", 403: "没有权限", 404: "页面不存在", 409: "数据已变化", 429: "操作太频繁"}


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        title = TITLES.get(exception.status, "请求有误")
        return render(
            request,
            "core/error.html",
            {"title": title, "message": exception.message},
            status=exception.status,
        )
