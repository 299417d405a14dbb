"""Content codings on the wire: compressed request bodies (gzip, deflate),
compressed answers negotiated by Accept-Encoding, the CRC32 DynamoDB puts on
them, and the Server header. Raw http.client, so every header is seen as
sent; http.client neither adds Accept-Encoding when one is given nor
decodes answers."""
import gzip
import http.client
import json
import uuid
import zlib

import pytest

from raw_http import AUTH, call

# DynamoDB compresses answers of 4 KB and more (docs/architecture.md).
THRESHOLD = 4096


def raw_deflate(data):
    c = zlib.compressobj(wbits=-15)
    return c.compress(data) + c.flush()


def put_body(table, pk, **attrs):
    item = {"pk": {"S": pk}}
    item.update({k: {"S": v} for k, v in attrs.items()})
    return json.dumps({"TableName": table, "Item": item}).encode()


def get_item(server, table, pk, headers=None, projection=None):
    body = {"TableName": table, "Key": {"pk": {"S": pk}}, "ConsistentRead": True}
    if projection:
        body["ProjectionExpression"] = projection
    return call(server, "GetItem", body, headers=headers)


def stored(server, table, pk):
    status, _, body = get_item(server, table, pk)
    assert status == 200
    return json.loads(body).get("Item")


def call_with_header_lines(server, target, body, lines):
    """POST with `lines` ((name, value) pairs, names may repeat) as extra
    headers; returns (status, headers as a list of pairs, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("POST", "/", skip_accept_encoding=True)
    for name, value in [("Content-Type", "application/x-amz-json-1.0"),
                        ("Authorization", AUTH), ("X-Amz-Date", "20260101T000000Z"),
                        ("X-Amz-Target", "DynamoDB_20120810." + target),
                        ("Content-Length", str(len(body)))] + list(lines):
        conn.putheader(name, value)
    conn.endheaders(body)
    resp = conn.getresponse()
    out = resp.status, [(k.lower(), v) for k, v in resp.getheaders()], resp.read()
    conn.close()
    return out


@pytest.mark.parametrize("encode,coding", [
    (gzip.compress, "gzip"),
    (zlib.compress, "deflate"),
    (raw_deflate, "deflate"),
    (zlib.compress, "DEFLATE"),
], ids=["gzip", "deflate-zlib", "deflate-raw", "deflate-upper-case"])
def test_compressed_request_bodies_are_read(server, hash_table, encode, coding):
    pk = uuid.uuid4().hex
    status, headers, body = call(server, "PutItem", encode(put_body(hash_table, pk, v="x")),
                                 raw=True, headers={"Content-Encoding": coding})
    assert (status, body) == (200, b"{}")
    assert stored(server, hash_table, pk) == {"pk": {"S": pk}, "v": {"S": "x"}}


def bad_bodies(table, pk):
    plain = put_body(table, pk)
    return [
        ("garbage", plain),               # a coding DynamoDB does not read
        ("br", plain),
        ("gzip, identity", plain),        # a list of codings
        ("gzip", plain),                  # not gzip at all
        ("gzip", gzip.compress(plain)[:-1]),
        ("gzip", gzip.compress(plain) + b"junk"),
        ("gzip", b""),
        ("deflate", plain),
        ("deflate", b""),
        ("deflate", zlib.compress(plain[:10]) + zlib.compress(plain[10:])),
    ]


BAD_BODY_CASES = ["unknown-coding", "br", "coding-list", "gzip-not-gzip", "gzip-truncated",
                  "gzip-trailing-junk", "gzip-empty", "deflate-not-deflate",
                  "deflate-empty", "two-deflate-streams"]


@pytest.mark.parametrize("case", range(len(BAD_BODY_CASES)), ids=BAD_BODY_CASES)
def test_unreadable_bodies_are_500_as_in_dynamodb_and_change_nothing(server, hash_table,
                                                                     case):
    pk = uuid.uuid4().hex
    coding, data = bad_bodies(hash_table, pk)[case]
    status, headers, body = call(server, "PutItem", data, raw=True,
                                 headers={"Content-Encoding": coding})
    assert status == 500
    assert json.loads(body)["__type"] == \
        "com.amazonaws.dynamodb.v20120810#InternalServerError"
    assert headers["server"] == "Server"
    assert stored(server, hash_table, pk) is None


def test_concatenated_gzip_members_are_one_body(server, hash_table):
    pk = uuid.uuid4().hex
    plain = put_body(hash_table, pk)
    status, _, _ = call(server, "PutItem", gzip.compress(plain[:10]) +
                        gzip.compress(plain[10:]), raw=True,
                        headers={"Content-Encoding": "gzip"})
    assert status == 200
    assert stored(server, hash_table, pk) is not None


@pytest.fixture
def big_item(server, hash_table):
    """An item whose GetItem answer is over the threshold with projection
    "pk, x" and under it with "x" alone (DynamoDB's own test of its 4 KB)."""
    pk = uuid.uuid4().hex[:10]
    status, _, _ = call(server, "PutItem", put_body(hash_table, pk, x="x" * (THRESHOLD - 25)),
                        raw=True)
    assert status == 200
    return hash_table, pk


def decode(coding, data):
    return gzip.decompress(data) if coding == "gzip" else zlib.decompress(data)


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_large_answers_are_compressed_when_accepted(server, big_item, coding):
    table, pk = big_item
    status, plain_headers, plain = get_item(server, table, pk, projection="pk, x")
    assert status == 200 and "content-encoding" not in plain_headers
    assert len(plain) >= THRESHOLD

    status, headers, body = get_item(server, table, pk, projection="pk, x",
                                     headers={"Accept-Encoding": coding})
    assert status == 200
    assert headers["content-encoding"] == coding
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(plain) / 30
    # DynamoDB's CRC32 covers the body as sent, compressed (botocore and the
    # Go SDK check it against the raw bytes).
    assert int(headers["x-amz-crc32"]) == zlib.crc32(body)
    assert decode(coding, body) == plain

    # Under the threshold: never compressed.
    status, headers, body = get_item(server, table, pk, projection="x",
                                     headers={"Accept-Encoding": coding})
    assert status == 200 and len(body) < THRESHOLD
    assert "content-encoding" not in headers and "vary" not in headers
    assert json.loads(body)["Item"]["x"]["S"] == "x" * (THRESHOLD - 25)


@pytest.mark.parametrize("accept,expected", [
    ("identity", None),
    ("", None),
    ("br, zstd, compress, x-gzip", None),
    ("gzip, deflate", "gzip"),
    ("br, identity, deflate, gzip", "deflate"),
    ("gzip;q=0.8, deflate;q=0.5", "gzip"),
    ("br, gzip;q=0, deflate; q = 0.5 , identity;q=0", "deflate"),
    ("*", "gzip"),
    ("*, deflate", "deflate"),
    ("*, gzip;q=0.5", "deflate"),
    ("gzip ;q=0", None),
    ("*;q=0", None),
    ("deflate;q=0.5,gzip;q=0.x", "gzip"),
    ("deflate;q=-0.5,gzip;q=0.2", "gzip"),
    ("gzip;q=0, gzip;q=1, gzip;q=0", "gzip"),
])
def test_accept_encoding_is_negotiated_as_dynamodb_does(server, big_item, accept, expected):
    table, pk = big_item
    status, headers, body = get_item(server, table, pk, projection="pk, x",
                                     headers={"Accept-Encoding": accept})
    assert status == 200
    assert headers.get("content-encoding") == expected
    assert headers["vary"] == "Accept-Encoding"
    data = decode(expected, body) if expected else body
    assert json.loads(data)["Item"]["pk"]["S"] == pk


@pytest.mark.parametrize("values,expected", [
    (["identity", "gzip"], "gzip"),
    (["gzip", "identity"], None),
    (["deflate", "gzip;q=0, deflate"], "deflate"),
])
def test_of_several_accept_encoding_headers_the_last_counts(server, big_item, values,
                                                            expected):
    table, pk = big_item
    body = json.dumps({"TableName": table, "Key": {"pk": {"S": pk}}}).encode()
    status, headers, data = call_with_header_lines(
        server, "GetItem", body, [("Accept-Encoding", v) for v in values])
    assert status == 200
    assert dict(headers).get("content-encoding") == expected


def test_chunked_request_gets_a_compressed_answer(server, big_item):
    """A request whose body comes chunked (and deflated) is answered like any
    other; answers themselves always carry a Content-Length."""
    table, pk = big_item
    body = zlib.compress(json.dumps({"TableName": table, "Key": {"pk": {"S": pk}},
                                     "ProjectionExpression": "pk, x"}).encode())
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/", body=iter([body[:7], body[7:]]), encode_chunked=True,
                 headers={"Content-Type": "application/x-amz-json-1.0",
                          "Authorization": AUTH, "X-Amz-Date": "20260101T000000Z",
                          "X-Amz-Target": "DynamoDB_20120810.GetItem",
                          "Transfer-Encoding": "chunked", "Content-Encoding": "deflate",
                          "Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    assert resp.status == 200
    assert resp.getheader("Content-Encoding") == "gzip"
    assert resp.getheader("Transfer-Encoding") is None
    assert int(resp.getheader("Content-Length")) == len(data)
    assert int(resp.getheader("x-amz-crc32")) == zlib.crc32(data)
    assert json.loads(gzip.decompress(data))["Item"]["pk"]["S"] == pk


def test_large_scan_is_compressed_and_errors_are_too_small_to_be(server, hash_table):
    for i in range(20):
        call(server, "PutItem", put_body(hash_table, f"k{i}", v="v" * 500), raw=True)
    status, headers, body = call(server, "Scan", {"TableName": hash_table},
                                 headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["Count"] == 20
    status, headers, body = call(server, "DescribeTable", {"TableName": "no_such_table"},
                                 headers={"Accept-Encoding": "gzip"})
    assert status == 400 and "content-encoding" not in headers
    assert b"ResourceNotFoundException" in body


def test_every_answer_names_the_server(server):
    answers = [
        call(server, "ListTables", {}),
        call(server, "DescribeTable", {"TableName": "no_such_table"}),
        call(server, None, None, method="GET"),
        call(server, None, None, method="PUT"),
        call(server, "ListTables", b"{}", raw=True, headers={"Content-Encoding": "br"}),
    ]
    for status, headers, _ in answers:
        assert headers["server"] == "Server", status


def test_boto3_keeps_working_with_compression_on(ddb, hash_table):
    """botocore asks for identity and does not decode: it must get plain JSON,
    large answers included."""
    big = "b" * 10000
    for i in range(5):
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": f"p{i}"}, "big": {"S": big}})
    got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "p0"}})
    assert got["Item"]["big"]["S"] == big
    assert "content-encoding" not in got["ResponseMetadata"]["HTTPHeaders"]
    assert got["ResponseMetadata"]["HTTPHeaders"]["server"] == "Server"
    assert ddb.scan(TableName=hash_table)["Count"] == 5
