"""CORS, so a web page can call the server from a browser: preflights
(OPTIONS) answered by the server itself, never reaching an operation, and
Access-Control-Allow-Origin with Access-Control-Expose-Headers on answers to
allowed origins (server.cors_origins; loopback pages by default)."""
import http.client
import json
import uuid

import pytest

from conftest import new_server
from raw_http import call

CORS_HEADERS = ("access-control-allow-origin", "access-control-expose-headers",
                "access-control-max-age", "access-control-allow-methods",
                "access-control-allow-headers")
SDK_HEADERS = "content-type, x-amz-target, x-amz-date, authorization, x-amz-user-agent"


def options(server, headers, body=None):
    """(status, lower-case headers, body) of an OPTIONS / request."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("OPTIONS", "/", body=body, headers=headers)
    resp = conn.getresponse()
    out = resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    conn.close()
    return out


def preflight(server, origin, **extra):
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": SDK_HEADERS}
    headers.update(extra)
    return options(server, headers)


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1:8080",
                                    "https://localhost", "http://[::1]:5173"])
def test_preflight_from_a_loopback_page_is_allowed_by_default(server, origin):
    status, headers, body = preflight(server, origin)
    assert status == 200 and body == b""
    assert headers["access-control-allow-origin"] == origin
    assert headers["access-control-allow-methods"] == "POST"
    assert headers["access-control-allow-headers"] == SDK_HEADERS
    assert int(headers["access-control-max-age"]) > 0
    exposed = [h.strip().lower() for h in headers["access-control-expose-headers"].split(",")]
    assert "x-amzn-requestid" in exposed and "x-amz-crc32" in exposed
    assert headers["vary"] == "Origin"
    assert headers["server"] == "Server"


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost.evil.example",
                                    "null", "http://127.0.0.2:3000"])
def test_preflight_from_another_origin_is_refused(server, origin):
    status, headers, body = preflight(server, origin)
    assert status == 403
    for name in CORS_HEADERS:
        assert name not in headers
    assert b"server.cors_origins" in body


def test_answers_to_allowed_origins_carry_cors_headers(server):
    origin = "http://localhost:3000"
    for status, headers, _ in [
            call(server, "ListTables", {}, headers={"Origin": origin}),
            call(server, "DescribeTable", {"TableName": "nope"}, headers={"Origin": origin}),
            call(server, None, None, method="GET", headers={"Origin": origin})]:
        assert headers["access-control-allow-origin"] == origin, status
        assert "x-amzn-RequestId" in headers["access-control-expose-headers"]
        # Only a preflight says how long it holds, and what it allows.
        for name in ("access-control-max-age", "access-control-allow-methods",
                     "access-control-allow-headers"):
            assert name not in headers
    status, headers, _ = call(server, "ListTables", {},
                              headers={"Origin": "http://evil.example"})
    assert status == 200
    assert "access-control-allow-origin" not in headers


def test_without_origin_no_cors_headers(server):
    answers = [call(server, "ListTables", {}), call(server, None, None, method="GET"),
               options(server, {})]
    for _, headers, _ in answers:
        for name in CORS_HEADERS:
            assert name not in headers
    assert answers[2][0] == 400  # OPTIONS that is no preflight


def test_preflight_never_reaches_an_operation(server, ddb):
    """A preflight is answered before signatures and the Host check, so it
    must not run what it carries."""
    name = "cors_" + uuid.uuid4().hex[:8]
    create = json.dumps({
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
    for origin in ("http://localhost:3000", "http://evil.example"):
        status, _, _ = options(server, {
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "X-Amz-Target": "DynamoDB_20120810.CreateTable",
            "Content-Type": "application/x-amz-json-1.0", "Host": "evil.example"},
            body=create)
        assert status in (200, 403)
    assert name not in ddb.list_tables()["TableNames"]


def test_compressed_answer_varies_by_origin_and_coding(server, hash_table):
    call(server, "PutItem", {"TableName": hash_table,
                             "Item": {"pk": {"S": "k"}, "v": {"S": "v" * 5000}}})
    status, headers, _ = call(server, "GetItem",
                              {"TableName": hash_table, "Key": {"pk": {"S": "k"}}},
                              headers={"Origin": "http://localhost:3000",
                                       "Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Origin, Accept-Encoding"
    assert headers["access-control-allow-origin"] == "http://localhost:3000"


def server_with(workdir, engine, cors_yaml):
    s = new_server(workdir, engine)
    with open(s.config_path, "a") as f:
        f.write("server:\n  cors_origins: " + cors_yaml + "\n")
    return s


def test_configured_origins_replace_the_default(workdir, engine):
    s = server_with(workdir, engine, '["https://app.example.com", "http://dev.local:*"]')
    s.start()
    try:
        for origin, allowed in [("https://app.example.com", True),
                                ("http://dev.local:8080", True),
                                ("http://dev.local", True),
                                ("https://app.example.com:8443", False),
                                ("http://localhost:3000", False)]:
            status, headers, _ = preflight(s, origin)
            assert (status == 200) == allowed, origin
            assert headers.get("access-control-allow-origin") == (origin if allowed else None)
    finally:
        s.stop()


def test_star_allows_every_origin_as_dynamodb_does(workdir, engine):
    s = server_with(workdir, engine, '["*"]')
    s.start()
    try:
        status, headers, _ = preflight(s, "http://anything.example")
        assert status == 200
        assert headers["access-control-allow-origin"] == "*"
        assert "vary" not in headers
        status, headers, _ = call(s, "ListTables", {}, headers={"Origin": "null"})
        assert headers["access-control-allow-origin"] == "*"
    finally:
        s.stop()


def test_empty_list_allows_no_origin(workdir, engine):
    s = server_with(workdir, engine, "[]")
    s.start()
    try:
        assert preflight(s, "http://localhost:3000")[0] == 403
    finally:
        s.stop()


def test_a_bad_origin_stops_start_up(workdir, engine):
    s = server_with(workdir, engine, '["https://app.example.com/"]')
    status, out = s.start_refused()
    assert status == 2
    assert "server.cors_origins[0]" in out and "is not an origin" in out
