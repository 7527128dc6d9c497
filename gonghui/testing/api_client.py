"""A Django test client that talks to /api/v1/ as a given user, the way a mini-program would."""

from __future__ import annotations

import json

from django.test import Client

from gonghui.accounts.services import api_token_issue


class ApiClient:
    def __init__(self, user=None):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Bearer {api_token_issue(user=user)}"

    def _call(self, method: str, path: str, data=None, **extra):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = {"headers": self.headers, **extra}
        if data is not None and method != "get":
            kwargs.update(data=json.dumps(data), content_type="application/json")
        elif data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, params=None, **extra):
        return self._call("get", path, params, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data if data is not None else {}, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data if data is not None else {}, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data if data is not None else {}, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, **extra)
