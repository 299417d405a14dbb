"""auth.keys[].max_requests_per_second: a token bucket per key, whose
refusals are ThrottlingException. Counts are checked against the time the
requests took, so a slow machine cannot fail the test."""
import math
import os
import time

import botocore.exceptions
import pytest

from conftest import Server, make_client, write_config

RATE = 2
REQUESTS = 30


@pytest.fixture(scope="module")
def rated_server(workdir, engine):
    cfg = os.path.join(workdir, "config-key-rate.yaml")
    write_config(cfg, engine)
    with open(cfg, "a") as f:
        f.write(f"""auth:
  mode: sigv4
  keys:
    - {{access_key_id: slow, secret: slow-secret, max_requests_per_second: {RATE}}}
    - {{access_key_id: free, secret: free-secret}}
""")
    s = Server(os.path.join(workdir, "data-key-rate"), cfg).start()
    yield s
    s.stop()


def client(server, key):
    return make_client(server.endpoint, key, key + "-secret")


def burst(c):
    """(served, throttled, seconds taken) of REQUESTS ListTables at once."""
    served, throttled = 0, 0
    start = time.monotonic()
    for _ in range(REQUESTS):
        try:
            c.list_tables()
            served += 1
        except botocore.exceptions.ClientError as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            assert e.response["Error"] == {
                "Code": "ThrottlingException",
                "Message": "Rate of requests exceeds the allowed throughput."}
            throttled += 1
    return served, throttled, time.monotonic() - start


def test_a_key_over_its_rate_is_throttled(rated_server):
    served, throttled, seconds = burst(client(rated_server, "slow"))
    assert served + throttled == REQUESTS
    # A full bucket (one second's worth), then what refills meanwhile.
    assert served >= RATE
    assert served <= RATE + math.ceil(seconds * RATE) + 1


def test_a_key_without_a_rate_is_never_throttled(rated_server):
    assert burst(client(rated_server, "free"))[:2] == (REQUESTS, 0)
