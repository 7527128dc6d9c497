"""Production settings, checked the way an operator would: in a fresh process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_VARS = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "ALLOWED_HOSTS",
    "SQLITE_PATH",
    "CSRF_TRUSTED_ORIGINS",
}


def production_env(tmp_path, **overrides):
    # A clean slate: nothing from the test run (DJANGO_ALLOW_ASYNC_UNSAFE, DATABASE_URL, …) leaks in.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGHUI_", "DJANGO_")) and k not in SETTINGS_VARS
    }
    env.update(
        GONGHUI_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        FIELD_ENCRYPTION_KEYS=json.dumps(
            {"current": 1, "keys": {"1": secrets.token_urlsafe(32)}, "index_key": secrets.token_urlsafe(32)}
        ),
        ALLOWED_HOSTS="gonghui.example.cn",
        GONGHUI_VAR_DIR=str(tmp_path),
        GONGHUI_SMS_BACKEND="gonghui.core.sms.LogSmsBackend",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_field_keys(tmp_path):
    result = manage(production_env(tmp_path, FIELD_ENCRYPTION_KEYS=None), "check")
    assert result.returncode != 0
    assert "生产环境必须设置 FIELD_ENCRYPTION_KEYS" in result.stderr
    assert not (tmp_path / "field_keys.json").exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": None}, "生产环境必须设置 SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "生产环境必须设置 SECRET_KEY"),
        (
            {"FIELD_ENCRYPTION_KEYS": '{"current": 2, "keys": {"1": "abc"}, "index_key": "x"}'},
            "FIELD_ENCRYPTION_KEYS 格式应为",
        ),
        ({"GONGHUI_FIELD_CIPHER": "des"}, "GONGHUI_FIELD_CIPHER 只能是"),
        ({"GONGHUI_SMS_BACKEND": None}, "生产环境必须设置 GONGHUI_SMS_BACKEND"),
    ],
)
def test_production_refuses_bad_secrets(tmp_path, overrides, message):
    # Importing the settings module is enough to trip these, and much cheaper than manage.py.
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr
