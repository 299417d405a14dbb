#!/usr/bin/env python3
"""Replication lag as a client sees it (bench/replication_bench.sh): every
--interval seconds, a PutItem of a fresh probe item on the primary, then
GetItem on the follower every millisecond until the item is there; the lag
is the time from the primary's answer to the first read that finds it.
With --seconds 0, one probe: a wait until the follower has caught up.
Prints one JSON line: count, p50_ms, p99_ms, max_ms."""
import argparse
import json
import statistics
import time

import boto3
import botocore.config


def client(endpoint):
    return boto3.client(
        "dynamodb", endpoint_url="http://" + endpoint, region_name="us-east-1",
        aws_access_key_id="bench", aws_secret_access_key="bench",
        config=botocore.config.Config(retries={"max_attempts": 1}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--primary", required=True)
    ap.add_argument("--follower", required=True)
    ap.add_argument("--table", default="bench")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--label", default="replication lag")
    args = ap.parse_args()
    primary, follower = client(args.primary), client(args.follower)
    lags = []
    end = time.time() + args.seconds
    n = 0
    while not lags or time.time() < end:  # one probe at least
        n += 1
        key = {"pk": {"S": f"lag-probe-{time.time_ns()}-{n}"}}
        primary.put_item(TableName=args.table, Item=dict(key, v={"S": "probe"}))
        acked = time.perf_counter()
        while "Item" not in follower.get_item(TableName=args.table, Key=key):
            if time.perf_counter() - acked > 60:
                raise SystemExit("a probe did not reach the follower in 60 s")
            time.sleep(0.001)
        lags.append((time.perf_counter() - acked) * 1000)
        time.sleep(args.interval)
    lags.sort()
    print(json.dumps({"label": args.label, "count": len(lags),
                      "p50_ms": round(statistics.median(lags), 2),
                      "p99_ms": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 2),
                      "max_ms": round(lags[-1], 2)}))


if __name__ == "__main__":
    main()
