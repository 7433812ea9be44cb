"""With RATELIMIT_STORAGE_URI on Redis, several worker processes share one count."""

import socket
import subprocess
import sys
import textwrap
import uuid

import pytest

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


WORKER = textwrap.dedent(
    """
    import sys
    from cpevents import create_app
    from cpevents.config import TestConfig
    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": sys.argv[1],
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": sys.argv[2],
        "RATELIMIT_SIGN_IN": "5 per minute",
        "WTF_CSRF_ENABLED": False,
    })
    client = app.test_client()
    codes = [client.post("/sign-in", data={"email": "x@example.org", "password": "wrong password 1"}).status_code for _ in range(int(sys.argv[3]))]
    print(" ".join(map(str, codes)))
    """
)


@pytest.mark.no_db_isolation
@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_two_workers_share_the_sign_in_limit(database_url):
    prefix = f"cpevents-test-{uuid.uuid4().hex}"

    def worker(count: int) -> list[int]:
        out = subprocess.run([sys.executable, "-c", WORKER, database_url, prefix, str(count)], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr[-2000:]
        return [int(c) for c in out.stdout.split()]

    first = worker(3)
    second = worker(3)
    assert first == [400, 400, 400]
    assert second[:2] == [400, 400] and second[2] == 429  # the 6th attempt across both processes
