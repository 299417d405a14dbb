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
