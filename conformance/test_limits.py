"""The front door under resource exhaustion: descriptors running out,
server.max_connections and server.max_inflight_body_mb. Each test runs its
own server, since each squeezes one."""
import json
import os
import resource
import socket
import threading
import time

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, make_client, new_server
from raw_http import call, read_response, request_bytes

THROTTLED = ("com.amazon.coral.availability#ThrottlingException",
             "Rate of requests exceeds the allowed throughput.")


def start_with(workdir, engine, server_lines, preexec_fn=None):
    srv = new_server(workdir, engine)
    if server_lines:
        with open(srv.config_path, "a") as f:
            f.write("server:\n" + "".join(f"  {line}\n" for line in server_lines))
    srv.preexec_fn = preexec_fn
    return srv.start()


def log_lines(srv, text):
    with open(srv.log_path, errors="replace") as f:
        return [line for line in f if text in line]


def served_eventually(srv, attempts=300):
    """True once a fresh connection is answered 200; a freed place may take
    the server a moment to notice."""
    for _ in range(attempts):
        try:
            if call(srv, "ListTables", {})[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


DESCRIPTOR_LIMIT = 256


def low_descriptor_limit():
    # Hard as well as soft: the server raises its soft limit to the hard one.
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESCRIPTOR_LIMIT, DESCRIPTOR_LIMIT))


def test_running_out_of_descriptors_neither_spins_nor_floods_the_log(workdir, engine):
    srv = start_with(workdir, engine, [], preexec_fn=low_descriptor_limit)
    try:
        assert log_lines(srv, f"open file limit {DESCRIPTOR_LIMIT}")
        # Past the limit: the kernel completes these handshakes, the server
        # cannot accept them all.
        held = [socket.create_connection(("127.0.0.1", srv.port), timeout=30)
                for _ in range(DESCRIPTOR_LIMIT + 100)]
        time.sleep(2)  # long enough for a spinning accept loop to log millions of lines
        assert srv.proc.poll() is None
        failures = log_lines(srv, "accept failed")
        assert 1 <= len(failures) <= 3, failures[:5]
        assert os.path.getsize(srv.log_path) < 64 * 1024
        for sock in held:
            sock.close()
        assert served_eventually(srv)
    finally:
        srv.stop()


def test_connections_beyond_max_connections_get_a_throttling_error(workdir, engine):
    srv = start_with(workdir, engine, ["max_connections: 3"])
    try:
        held = []
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
            head, body = request_bytes("ListTables", b"{}")
            sock.sendall(head + body)
            assert read_response(sock)[0] == 200
            held.append(sock)
        # An SDK sees DynamoDB's throttling error (retries are off here).
        with pytest.raises(ClientError) as e:
            make_client(srv.endpoint).list_tables()
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert error_of(e) == ("ThrottlingException", THROTTLED[1])
        # The connections served go on being served.
        head, body = request_bytes("ListTables", b"{}")
        held[0].sendall(head + body)
        assert read_response(held[0])[0] == 200
        held.pop().close()
        assert served_eventually(srv)
        for sock in held:
            sock.close()
    finally:
        srv.stop()


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_large_bodies_beyond_the_inflight_budget_are_throttled(workdir, engine):
    srv = start_with(workdir, engine, ["max_inflight_body_mb: 32"])
    senders = 40
    size = 15 * 1024 * 1024
    payload = json.dumps({"TableName": "no_such_table",
                          "Item": {"pk": {"S": "x" * (size - 100)}}}).encode()
    head, _ = request_bytes("PutItem", payload)
    first_part = 1024 * 1024
    all_started = threading.Barrier(senders)
    answers = []
    errors = []

    def send():
        try:
            sock = socket.create_connection(("127.0.0.1", srv.port), timeout=60)
            sock.sendall(head + payload[:first_part])
            # Every header is in before any body is complete, so the budget
            # is contended for whatever the scheduling.
            all_started.wait()
            sock.sendall(payload[first_part:])
            status, _, body = read_response(sock)
            answers.append((status, json.loads(body)))
            sock.close()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    try:
        threads = [threading.Thread(target=send) for _ in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:3]
        assert len(answers) == senders
        throttled = [a for a in answers if (a[1]["__type"], a[1]["message"]) == THROTTLED]
        assert all(status == 400 for status, _ in answers)
        assert throttled, answers[:3]
        assert len(throttled) < senders
        assert srv.proc.poll() is None
        # Two bodies fit the budget: the peak was about 55 MB, against 410 MB
        # with no budget.
        assert peak_rss_mb(srv.proc.pid) < 200
        assert call(srv, "ListTables", {})[0] == 200
    finally:
        srv.stop()
