from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class ComplexityValidator:
    """等保三级 style: at least three of upper case, lower case, digits and symbols."""

    def validate(self, password, user=None):
        kinds = sum(
            [
                any(c.isupper() for c in password),
                any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if kinds < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_complexity"
            )

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 changed this message's msgid and its zh-hans catalogue has not caught up, so the
    stock validator speaks English on a Chinese page."""

    def get_error_message(self):
        return f"密码长度太短，至少需要 {self.min_length} 个字符"
