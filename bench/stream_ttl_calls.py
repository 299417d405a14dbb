#!/usr/bin/env python3
"""The calls bench/run.sh makes for the streams and TTL benchmarks (issue 13)
that jormun-bench does not: creating a table with a stream, enabling TTL, and
timing GetRecords of many records. Speaks the DynamoDB JSON protocol over one
keep-alive connection with the fixed SigV4-shaped header jormun-bench sends
(the server checks its form unless auth.mode is sigv4).

  stream_ttl_calls.py --endpoint H:P create-table NAME VIEW_TYPE
  stream_ttl_calls.py --endpoint H:P ttl NAME ATTRIBUTE on|off
  stream_ttl_calls.py --endpoint H:P [--server-log LOG] get-records NAME RECORDS CALLS LABEL JSON_OUT
  stream_ttl_calls.py --endpoint H:P count NAME LABEL JSON_OUT

get-records reads the first RECORDS records of the table's stream (one
TRIM_HORIZON iterator, reused: iterators are positions, not cursors) CALLS
times, checks each answer holds RECORDS records, and appends one JSON line
with the latencies (ms, from sending the request to the last byte of the
answer) to JSON_OUT; with --server-log, the server's own latencies of those
calls too, from its JSON access log (server.access_log, log_format json).
count appends the table's items, counted by Scan.
"""
import argparse
import http.client
import json
import statistics
import sys
import time

HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/"
                     "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00",
}


class Client:
    def __init__(self, endpoint):
        host, port = endpoint.rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)

    def raw(self, target, body):
        """The answer's bytes; raises on a status other than 200."""
        self.conn.request("POST", "/", body=json.dumps(body),
                          headers=dict(HEADERS, **{"X-Amz-Target": target}))
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{target}: HTTP {response.status}: {data[:300]!r}")
        return data

    def dynamodb(self, op, body):
        return json.loads(self.raw("DynamoDB_20120810." + op, body))

    def streams(self, op, body):
        return json.loads(self.raw("DynamoDBStreams_20120810." + op, body))


def create_table(c, name, view_type):
    c.dynamodb("CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": view_type}})
    for _ in range(600):
        if c.dynamodb("DescribeTable", {"TableName": name})["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.1)
    raise SystemExit(f"table {name} did not become ACTIVE")


def ttl(c, name, attribute, state):
    c.dynamodb("UpdateTimeToLive", {"TableName": name, "TimeToLiveSpecification": {
        "AttributeName": attribute, "Enabled": state == "on"}})


def count(c, name, label, json_out):
    request, items = {"TableName": name, "Select": "COUNT"}, 0
    while True:
        page = c.dynamodb("Scan", request)
        items += page["Count"]
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    with open(json_out, "a") as f:
        f.write(json.dumps({"label": label, "workload": "count", "status": "ok",
                            "items": items}) + "\n")


def server_latencies(log_path, operation, calls):
    """The latency_ms of the last `calls` requests for `operation` in a JSON
    access log, sorted."""
    found = []
    with open(log_path) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            if entry.get("operation") == operation and "latency_ms" in entry:
                found.append(float(entry["latency_ms"]))
    if len(found) < calls:
        raise SystemExit(f"{log_path} logs {len(found)} {operation} requests, not {calls}")
    return sorted(found[-calls:])


def percentiles(latencies, prefix):
    return {prefix + "p50_ms": statistics.median(latencies),
            prefix + "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            prefix + "max_ms": latencies[-1]}


def get_records(c, name, records, calls, label, json_out, server_log=None):
    arn = c.dynamodb("DescribeTable", {"TableName": name})["Table"]["LatestStreamArn"]
    shards = c.streams("DescribeStream", {"StreamArn": arn})["StreamDescription"]["Shards"]
    iterator = c.streams("GetShardIterator", {
        "StreamArn": arn, "ShardId": shards[0]["ShardId"],
        "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
    request = {"ShardIterator": iterator, "Limit": records}
    latencies, size = [], 0
    for _ in range(calls):
        start = time.perf_counter()
        data = c.raw("DynamoDBStreams_20120810.GetRecords", request)
        latencies.append((time.perf_counter() - start) * 1000)
        # Checked after the clock stops: parsing is the client's cost.
        got = len(json.loads(data)["Records"])
        if got != records:
            raise SystemExit(f"GetRecords returned {got} records, not {records}")
        size = len(data)
    latencies.sort()
    line = {"label": label, "workload": "get-records", "status": "ok", "records": records,
            "calls": calls, "answer_bytes": size, **percentiles(latencies, "")}
    if server_log:
        time.sleep(0.5)  # the last request's line may still be on its way
        line.update(percentiles(server_latencies(server_log, "GetRecords", calls), "server_"))
    with open(json_out, "a") as f:
        f.write(json.dumps(line) + "\n")
    print(json.dumps(line))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--server-log", help="the server's JSON access log (get-records)")
    parser.add_argument("call", choices=["create-table", "ttl", "get-records", "count"])
    parser.add_argument("args", nargs="*")
    a = parser.parse_args()
    c = Client(a.endpoint)
    if a.call == "create-table" and len(a.args) == 2:
        create_table(c, *a.args)
    elif a.call == "ttl" and len(a.args) == 3 and a.args[2] in ("on", "off"):
        ttl(c, *a.args)
    elif a.call == "count" and len(a.args) == 3:
        count(c, *a.args)
    elif a.call == "get-records" and len(a.args) == 5:
        name, records, calls, label, json_out = a.args
        get_records(c, name, int(records), int(calls), label, json_out, a.server_log)
    else:
        parser.error(f"wrong arguments for {a.call}")


if __name__ == "__main__":
    sys.exit(main())
