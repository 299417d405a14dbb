"""GET /console, the read-only web page over the tables, in a real browser
(headless Chromium driven by js/console.mjs), checked against the API; and
the dynamodb-admin GUI driven the same way against the server."""
import http.client
import json
import os

import pytest

from conftest import make_client, new_server
from node_sdk import run_node

KEY_ID, SECRET = "console-reader", "console-reader-secret"
# May read the table "orders" only.
ORDERS_ID, ORDERS_SECRET = "orders-reader", "orders-reader-secret"


def get(server, path, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", path, headers={"Host": host} if host else {})
    resp = conn.getresponse()
    out = resp.status, resp.getheader("Content-Type"), resp.read().decode()
    conn.close()
    return out


def fill(ddb):
    """Three tables: one with a sort key, a GSI and an LSI and more items
    than the page shows, one of assorted attribute types, one empty."""
    ddb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "customer", "AttributeType": "S"},
                              {"AttributeName": "placed", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by_customer",
            "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}],
        LocalSecondaryIndexes=[{
            "IndexName": "by_placed",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "placed", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        BillingMode="PAY_PER_REQUEST")
    for i in range(40):
        ddb.put_item(TableName="orders", Item={
            "pk": {"S": f"order-{i:02d}"}, "sk": {"N": str(i % 3)},
            "customer": {"S": f"customer-{i % 5}"}, "placed": {"S": f"2026-12-{i % 28 + 1:02d}"},
            "total": {"N": f"{i}.50"}})
    ddb.create_table(
        TableName="kinds",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="kinds", Item={
        "pk": {"S": "every-type"}, "b": {"B": b"\x00\x01"}, "yes": {"BOOL": True},
        "nothing": {"NULL": True}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]},
        "list": {"L": [{"S": "<script>alert(1)</script>"}, {"N": "3"}]},
        "map": {"M": {"inner": {"S": "value"}}}})
    ddb.create_table(
        TableName="empty",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")


@pytest.fixture(scope="module")
def console_server(workdir, engine):
    """A server of its own, so the page shows only this module's tables."""
    srv = new_server(workdir, engine).start()
    fill(srv.client())
    yield srv
    srv.stop()


def run_console(server, screenshot, **env):
    out = run_node(["console.mjs"], {"JORMUN_ENDPOINT": server.endpoint,
                                     "CONSOLE_TABLE": "orders",
                                     "CONSOLE_SCREENSHOT": str(screenshot), **env})
    assert out.returncode == 0, out.stdout + out.stderr
    assert os.path.getsize(screenshot) > 0


def test_console_shows_tables_rates_and_first_items(console_server, engine, tmp_path):
    run_console(console_server, tmp_path / f"console-{engine}.png", CONSOLE_ENGINE=engine)


@pytest.mark.once
def test_console_page_and_server_facts_are_served(console_server):
    status, content_type, body = get(console_server, "/console")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert "<title>JormunDB console</title>" in body
    status, content_type, body = get(console_server, "/console/server.json")
    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {"region": "us-east-1", "authMode": "none"}
    status, _, body = get(console_server, "/console/nothing")
    assert status == 404 and "/console/nothing is not a page of the console" in body


def answer_headers(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status, {name.lower(): value for name, value in resp.getheaders()}


@pytest.mark.once
def test_console_answers_carry_security_headers(console_server):
    for path in ("/console", "/console/server.json", "/console/nothing"):
        _, headers = answer_headers(console_server, path)
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert headers["cache-control"] == "no-store", path
        policy = dict((d.strip().split(" ", 1) + [""])[:2]
                      for d in headers["content-security-policy"].split(";"))
        assert policy["default-src"] == "'none'", path
        assert policy["frame-ancestors"] == "'none'", path
        assert policy["connect-src"] == "'self'", path
        # Inline code only by its hash: no 'unsafe-inline', no other origin.
        for directive in ("script-src", "style-src"):
            sources = policy[directive].split()
            assert sources and all(src.startswith("'sha256-") for src in sources), policy
    # Not on the API's answers: they are not pages.
    _, headers = answer_headers(console_server, "/")
    assert "content-security-policy" not in headers


@pytest.mark.once
def test_console_can_be_turned_off(workdir):
    srv = new_server(workdir, "rocksdb")
    with open(srv.config_path, "a") as f:
        f.write("server:\n  console: false\n")
    srv.start()
    try:
        for path in ("/console", "/console/server.json"):
            status, _, body = get(srv, path)
            # Answered as any path the server does not serve.
            assert status == get(srv, "/elsewhere")[0] == 400, path
            assert "is not supported" in body and "JormunDB console" not in body
    finally:
        srv.stop()


@pytest.mark.once
def test_console_refuses_a_host_that_does_not_name_the_server(console_server):
    for path in ("/console", "/console/server.json"):
        status, _, body = get(console_server, path, host="attacker.example:8002")
        assert status == 403, path
        assert "attacker.example" in body and "orders" not in body


@pytest.mark.once
def test_console_with_signatures_shows_only_what_its_key_may_read(workdir, tmp_path):
    srv = new_server(workdir, "rocksdb")
    with open(srv.config_path, "a") as f:
        f.write(f"auth:\n  mode: sigv4\n  keys:\n"
                f"    - {{access_key_id: {KEY_ID}, secret: {SECRET}}}\n"
                f"    - {{access_key_id: {ORDERS_ID}, secret: {ORDERS_SECRET}, "
                f"tables: [orders]}}\n")
    srv.start()
    try:
        fill(make_client(srv.endpoint, KEY_ID, SECRET))
        status, _, body = get(srv, "/console/server.json")
        assert status == 200 and json.loads(body) == {"region": "us-east-1",
                                                      "authMode": "sigv4"}
        run_console(srv, tmp_path / "console-sigv4.png", CONSOLE_ENGINE="rocksdb",
                    CONSOLE_KEY_ID=KEY_ID, CONSOLE_KEY_SECRET=SECRET)
        # A key limited to one table sees the others refused, not their data.
        run_console(srv, tmp_path / "console-sigv4-orders.png", CONSOLE_ENGINE="rocksdb",
                    CONSOLE_KEY_ID=ORDERS_ID, CONSOLE_KEY_SECRET=ORDERS_SECRET,
                    CONSOLE_DENIED_TABLES="empty,kinds")
    finally:
        srv.stop()


@pytest.mark.once
def test_dynamodb_admin_lists_views_creates_and_deletes_items(console_server, tmp_path):
    ddb = console_server.client()
    ddb.create_table(
        TableName="admin_things",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST")
    try:
        for name in ("apple", "pear", "plum"):
            ddb.put_item(TableName="admin_things",
                         Item={"pk": {"S": name}, "colour": {"S": "green"}})
        out = run_node(["dynamodb_admin.mjs"], {"JORMUN_ENDPOINT": console_server.endpoint,
                                                "ADMIN_TABLE": "admin_things",
                                                "ADMIN_SCREENSHOT_DIR": str(tmp_path)})
        assert out.returncode == 0, out.stdout + out.stderr
    finally:
        ddb.delete_table(TableName="admin_things")
