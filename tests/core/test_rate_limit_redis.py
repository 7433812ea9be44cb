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


ACCOUNT_WORKER = textwrap.dedent(
    """
    import sys
    from cpevents import create_app
    from cpevents.config import TestConfig
    app = create_app(TestConfig, {
        "SQLALCHEMY_DATABASE_URI": sys.argv[1],
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "RATELIMIT_KEY_PREFIX": sys.argv[2],
        "RATELIMIT_SIGN_IN_ACCOUNT": "5 per minute",
        "WTF_CSRF_ENABLED": False,
    })
    client = app.test_client()
    codes = [client.post("/sign-in", data={"email": "Private.Person@example.org", "password": "wrong password 1"},
                         environ_base={"REMOTE_ADDR": f"10.{sys.argv[4]}.0.{i}"}).status_code for i in range(int(sys.argv[3]))]
    print(" ".join(map(str, codes)))
    """
)


@pytest.mark.no_db_isolation
@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_two_workers_share_the_per_account_limit_and_keep_no_email_address_in_redis(database_url):
    import redis

    prefix = f"cpevents-test-{uuid.uuid4().hex}"

    def worker(count: int, network: int) -> list[int]:
        out = subprocess.run([sys.executable, "-c", ACCOUNT_WORKER, database_url, prefix, str(count), str(network)], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr[-2000:]
        return [int(c) for c in out.stdout.split()]

    assert worker(3, 1) == [400, 400, 400]
    assert worker(3, 2) == [400, 400, 429]  # the 6th try at one account, from six addresses and two processes
    store = redis.Redis(host=REDIS[0], port=REDIS[1])
    try:
        keys = [k.decode() for k in store.scan_iter(match=f"*{prefix}*")]
        assert keys and not any("private.person" in k.lower() or "example.org" in k.lower() for k in keys), keys
    finally:
        for key in store.scan_iter(match=f"*{prefix}*"):
            store.delete(key)
        store.close()
