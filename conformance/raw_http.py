"""A bare DynamoDB JSON-protocol client, for what SDKs never send or hide."""
import http.client
import json

AUTH = ("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd")


def call(server, target, body, headers=None, method="POST", raw=False):
    """Returns (status, headers dict with lower-case names, body bytes)."""
    h = {"Content-Type": "application/x-amz-json-1.0", "Authorization": AUTH,
         "X-Amz-Date": "20260101T000000Z"}
    if target is not None:
        h["X-Amz-Target"] = "DynamoDB_20120810." + target
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not None}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    data = body if raw or body is None else json.dumps(body)
    conn.request(method, "/", body=data, headers=h)
    resp = conn.getresponse()
    out = resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    conn.close()
    return out


def request_bytes(target, body, expect_continue=False):
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.{target}\r\n"
            f"Authorization: {AUTH}\r\nX-Amz-Date: 20260101T000000Z\r\n"
            + ("Expect: 100-continue\r\n" if expect_continue else "")
            + f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode(), body


def read_response(sock):
    """(status, headers, body) of one response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before an answer"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of an answer"
        body += chunk
    return int(lines[0].split()[1]), headers, body
