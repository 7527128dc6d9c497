"""The fault drills against a running local cluster (`make cluster`; docs/deploy.md).

`pytest -m cluster` runs them at a tenth of the full size (5,000 members, 500 coupons); without a running
cluster they are skipped with the reason, so `make test` never needs one. Full size:
`.venv/bin/python deploy/faults.py all`."""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))


def cluster_up() -> str | None:
    if not (CLUSTER_DIR / "env").exists():
        return f"本地集群未启动（没有 {CLUSTER_DIR}/env）：先运行 make cluster"
    try:
        with urllib.request.urlopen("http://127.0.0.1:18000/api/v1/health", timeout=3) as response:
            if response.status == 200:
                return None
    except OSError as exc:
        return f"本地集群的 HAProxy（127.0.0.1:18000）不可用：{exc}"
    return "本地集群的 HAProxy 未返回 200"


pytestmark = [pytest.mark.cluster]


@pytest.fixture(scope="module", autouse=True)
def needs_cluster():
    reason = cluster_up()
    if reason:
        pytest.skip(reason)


@pytest.mark.parametrize("drill", ["rush", "kill-app", "kill-pg", "kill-redis", "backup"])
def test_drill(drill):
    result = subprocess.run(
        [
            sys.executable,
            "deploy/faults.py",
            drill,
            "--members",
            "5000",
            "--coupons",
            "500",
            "--concurrency",
            "50",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "MISS" not in result.stdout
