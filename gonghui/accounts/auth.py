"""API authentication: `Authorization: Bearer <token>`, or the browser's session for pages."""

from ninja.security import HttpBearer, django_auth

from .services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api_auth = [BearerToken(), django_auth]
