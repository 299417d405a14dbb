"""The jormundb process itself: keep-alive connections idle past
server.idle_timeout_seconds are closed, and SIGTERM stops the server
gracefully, answering the request in flight and exiting with status 0; a
data directory serves one server at a time."""
import json
import select
import signal
import socket
import time

from conftest import Server, create_hash_table, new_server
from raw_http import read_response, request_bytes


def closed_within(sock, seconds):
    """True when the server closes the connection within `seconds`."""
    readable, _, _ = select.select([sock], [], [], seconds)
    return bool(readable) and sock.recv(1) == b""


def test_a_keep_alive_connection_idle_past_the_configured_timeout_is_closed(workdir, engine):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("server:\n  idle_timeout_seconds: 1\n")
    srv.start()
    try:
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        head, body = request_bytes("ListTables", b"{}")
        sock.sendall(head + body)
        assert read_response(sock)[0] == 200
        assert not closed_within(sock, 0.4)  # still open well within the timeout
        sock.sendall(head + body)  # and still serving
        assert read_response(sock)[0] == 200
        begin = time.monotonic()
        assert closed_within(sock, 10)
        assert 0.6 < time.monotonic() - begin < 5
        sock.close()
    finally:
        srv.stop()


def listener_closed(port):
    try:
        # Not a short timeout: about once in twenty runs a connect made while
        # the listener closes got no answer for a second (its SYN dropped;
        # the retransmission is then refused), which a 1 s timeout took for
        # an error.
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except (ConnectionRefusedError, ConnectionResetError):
        # Reset: the connection was still in the listener's queue when the
        # listener closed.
        return True


def test_sigterm_answers_the_request_in_flight_then_exits_0(workdir, engine):
    srv = new_server(workdir, engine).start()
    create_hash_table(srv.client(), "graceful")
    head, body = request_bytes("PutItem", json.dumps(
        {"TableName": "graceful", "Item": {"pk": {"S": "in-flight"}}}).encode(),
        expect_continue=True)
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    sock.sendall(head)
    # The server's 100 Continue says it has read the header: the request is
    # in flight, whatever the machine's load.
    interim = b""
    while b"\r\n\r\n" not in interim:
        chunk = sock.recv(1)
        assert chunk, "connection closed before 100 Continue"
        interim += chunk
    assert interim.startswith(b"HTTP/1.1 100")
    srv.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while not listener_closed(srv.port):  # the stop has begun: no new connections
        assert time.monotonic() < deadline, "SIGTERM did not close the listener"
        time.sleep(0.05)
    sock.sendall(body)
    status, headers, answer = read_response(sock)
    assert (status, answer) == (200, b"{}")
    assert headers.get("connection", "").lower() == "close"
    assert srv.proc.wait(timeout=30) == 0
    srv.proc = None

    srv.start()
    try:
        item = srv.client().get_item(TableName="graceful", Key={"pk": {"S": "in-flight"}})
        assert item["Item"] == {"pk": {"S": "in-flight"}}
    finally:
        srv.stop()


def test_a_second_server_on_the_same_data_directory_is_refused(workdir, engine):
    first = new_server(workdir, engine).start()
    try:
        create_hash_table(first.client(), "held")
        second = Server(first.data_dir, first.config_path)
        status, out = second.start_refused()
        assert status == 3, out
        assert f"data directory {first.data_dir} is in use by another process " \
               f"(pid {first.proc.pid})" in out, out
        assert first.client().list_tables()["TableNames"] == ["held"]
    finally:
        first.stop()
    # Released at exit, also at a kill: the next server starts.
    again = Server(first.data_dir, first.config_path).start()
    again.proc.kill()
    again.proc.wait()
    again.proc = None
    restarted = Server(first.data_dir, first.config_path).start()
    try:
        assert restarted.client().list_tables()["TableNames"] == ["held"]
    finally:
        restarted.stop()
