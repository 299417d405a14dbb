"""The JSON protocol around the operations: routing, framing, error bodies."""
import json
import zlib

from raw_http import call


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
