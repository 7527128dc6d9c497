import contextlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from gonghui.core import crypto
from gonghui.core.fields import EncryptedTextField
from gonghui.core.validators import normalize_mobile

PHONE_INDEX = "phone"


def phone_index(phone_e164: str) -> str:
    return crypto.blind_index(phone_e164, purpose=PHONE_INDEX)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra):
        phone = normalize_mobile(phone)
        user = self.model(phone=phone, phone_index=phone_index(phone), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone_index: str, password: str | None = None, **extra):
        # createsuperuser prompts for USERNAME_FIELD; we accept the phone number there.
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(phone_index, password, **extra)

    def get_by_natural_key(self, username):
        # A non-phone username is already an index (or nothing).
        with contextlib.suppress(ValidationError):
            username = phone_index(normalize_mobile(username))
        return self.get(phone_index=username)

    def get_by_phone(self, phone: str):
        return self.get(phone_index=phone_index(normalize_mobile(phone)))


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone signs in with a mainland mobile number. The number is stored encrypted;
    phone_index (an HMAC blind index) finds the account."""

    phone = EncryptedTextField("手机号")
    phone_index = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField("姓名", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_staff = models.BooleanField("可进入系统后台", default=False)
    real_name_verified = models.BooleanField("已实名认证", default=False)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Part of every session's auth hash: raising it ends every session of the user at its next request
    # (accounts.services.user_sessions_end, with the API tokens).
    auth_epoch = models.PositiveIntegerField("登录凭据版本", default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "phone_index"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return f"{self.name or '用户'} {self.phone_masked}"

    @property
    def phone_masked(self) -> str:
        if "phone" not in self.__dict__ and "_phone_masked" in self.__dict__:
            # A user from the token cache carries only the masked number (accounts.services.cacheable_user).
            return self.__dict__["_phone_masked"]
        return crypto.mask_phone(self.phone)

    def _get_session_auth_hash(self, secret=None):
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "gonghui.accounts.User.session_auth_hash",
            f"{self.password}:{self.auth_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class LoginCode(models.Model):
    """A one-time sign-in code sent by SMS (shown on the page in demo mode). Only its hash is kept."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录验证码"
        indexes = [models.Index(fields=["phone_index", "-created_at"])]

    def __str__(self):
        return f"登录验证码 {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """Bearer token for the API. Only a SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"接口令牌（{self.user}）"
