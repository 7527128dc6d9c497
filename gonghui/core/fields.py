"""Model fields for personal data: stored encrypted, read back as plaintext in Python only."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Encrypts on the way into the database; never filter on it — use its blind index instead."""

    description = "加密存储的个人信息"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise TypeError(f"加密字段不支持 {lookup_name} 查询，请使用盲索引字段")
        return super().get_lookup(lookup_name)
