"""The JSON protocol around the operations: routing, framing, error bodies."""
import json
import socket
import zlib

import pytest

from raw_http import call, read_response


def error(body):
    doc = json.loads(body)
    return doc["__type"], doc.get("message", doc.get("Message"))


def test_every_answer_has_request_id_and_crc32(server):
    ids = set()
    for _ in range(3):
        status, headers, body = call(server, "ListTables", {})
        assert status == 200
        assert headers["content-type"] == "application/x-amz-json-1.0"
        assert int(headers["x-amz-crc32"]) == zlib.crc32(body)
        ids.add(headers["x-amzn-requestid"])
    assert len(ids) == 3


def test_unknown_operation(server):
    status, headers, body = call(server, "FlyToTheMoon", {})
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"
    assert "x-amzn-requestid" in headers


def test_malformed_json_is_serialization_exception(server):
    status, _, body = call(server, "ListTables", b"{not json", raw=True)
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#SerializationException"


def test_wrong_member_type_is_serialization_exception(server):
    status, _, body = call(server, "DescribeTable", {"TableName": 5})
    assert status == 400
    assert error(body)[0] == "com.amazon.coral.service#SerializationException"


def test_missing_signature(server):
    status, _, body = call(server, "ListTables", {}, headers={"Authorization": None})
    assert status == 400
    assert error(body) == ("com.amazon.coral.service#MissingAuthenticationTokenException",
                           "Request is missing Authentication Token")


def test_validation_type_prefix(server):
    status, _, body = call(server, "ListTables", {"Limit": 0})
    assert status == 400
    assert error(body) == ("com.amazon.coral.validate#ValidationException",
                           "1 validation error detected: Value '0' at 'limit' failed to satisfy "
                           "constraint: Member must have value greater than or equal to 1")


def test_resource_not_found_prefix(server):
    status, _, body = call(server, "DescribeTable", {"TableName": "no_such_table"})
    assert status == 400
    assert error(body) == ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                           "Requested resource not found: Table: no_such_table not found")


def test_health_answer(server):
    status, _, body = call(server, None, None, method="GET")
    assert status == 200
    assert body


def test_describe_table_names_the_engine(server, engine):
    name = "engine_probe_" + engine
    status, _, _ = call(server, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})
    assert status == 200
    try:
        status, _, body = call(server, "DescribeTable", {"TableName": name})
        assert json.loads(body)["Table"]["JormunEngine"]["Name"] == engine
    finally:
        call(server, "DeleteTable", {"TableName": name})


def test_server_keeps_serving_after_errors(server):
    for bad in (b"", b"[]", b"{\"TableName\": [1,2]}", b"\xff\xfe"):
        call(server, "DescribeTable", bad, raw=True)
    status, _, _ = call(server, "ListTables", {})
    assert status == 200


@pytest.mark.parametrize("request_text,status", [
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}", 400),
    (b"POST /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"POST / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 70000 + b"\r\n\r\n", 431),
    (b"POST / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(8000))
     + b"\r\n", 431),
    (b"POST / HTTP/1.1\r\nHost: x\r\n" + b"X" * 70000 + b": v\r\n\r\n", 431),
], ids=["bad-length", "negative-length", "long-request-line", "long-header", "many-headers",
        "long-header-name"])
def test_bad_framing_is_answered_before_the_connection_closes(server, request_text, status):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    sock.sendall(request_text)
    got, headers, _ = read_response(sock)
    assert got == status
    assert headers["connection"] == "close"
    assert headers["server"] == "Server"
    # Then the server closes its side, rather than waiting or resetting.
    rest = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    assert rest == b""
    sock.close()
    assert call(server, "ListTables", {})[0] == 200
