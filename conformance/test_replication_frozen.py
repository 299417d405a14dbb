"""Read replicas when a peer freezes (docs/replication.md): a process
stopped by SIGSTOP keeps its port, so connections are accepted and nothing
answers. A restarting primary's failover check gives up on frozen followers
and starts; a follower whose primary froze is promoted without waiting for
its request in flight."""
import json
import os
import signal
import socket
import threading
import time

import pytest

from conftest import create_table_with_gsi as create
from raw_http import call
from replication_servers import (follower_server, primary_server, status, stop_all,
                                 wait_caught_up, wait_known)

pytestmark = pytest.mark.once


def listening_but_silent(port=0):
    """A socket that listens on `port` and never accepts, reads or answers:
    the kernel completes each connection, as it does for a process stopped
    by SIGSTOP, and nothing ever comes back."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    return s


def test_a_primary_starts_when_its_followers_are_frozen(workdir):
    p = primary_server(workdir).start()
    f, holds = None, []
    try:
        create(p.client(), "items")
        f = follower_server(workdir, "lmdb", p).start()
        wait_caught_up(p, f, ["items"])
        wait_known(p, f)
        f.stop()
        p.stop()
        # Its port taken by a silent listener, and more silent followers
        # known to the primary: each ask must end by itself, and their waits
        # must not add up (asked one after another at 2 s each, 20 would
        # outlast Server.start's 30 s give-up).
        holds = [listening_but_silent(f.port)] + [listening_but_silent() for _ in range(20)]
        path = os.path.join(p.data_dir, "replication", "followers.json")
        with open(path) as known:
            followers = json.load(known)
        silent = [f"http://127.0.0.1:{h.getsockname()[1]}" for h in holds[1:]]
        followers += [{"id": f"{i:032x}", "url": url} for i, url in enumerate(silent)]
        with open(path, "w") as known:
            json.dump(followers, known)
        p.start()  # gives up at 30 s: the check must not hang on them
        with open(p.log_path) as log:
            text = log.read()
        for url in [f.endpoint, *silent]:
            assert f"follower {url} did not say whether it was promoted" in text
        assert status(p)["Role"] == "PRIMARY"
    finally:
        for h in holds:
            h.close()
        stop_all(*(s for s in (f, p) if s))


def test_promotion_does_not_wait_for_a_frozen_primary(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        create(p.client(), "items")
        p.client().put_item(TableName="items", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        f = follower_server(workdir, "sqlite", p).start()
        wait_caught_up(p, f, ["items"])
        # Frozen: its port accepts connections, nothing answers. The
        # follower's request in flight (or its next) hangs until its timeout
        # (60 s); promotion ends it rather than waiting.
        p.proc.send_signal(signal.SIGSTOP)
        try:
            time.sleep(0.5)  # the follower has asked again meanwhile
            st, _, out = call(f, "JormunPromote", {})  # its 30 s timeout: a give-up only
            assert st == 200, out
            assert status(f)["Role"] == "PRIMARY"
            f.client().put_item(TableName="items", Item={"pk": {"S": "b"}, "g": {"S": "y"}})
        finally:
            p.proc.send_signal(signal.SIGCONT)
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_a_forwarded_write_to_a_frozen_primary_holds_up_no_reads(workdir):
    p = primary_server(workdir).start()
    f = None
    try:
        create(p.client(), "items")
        p.client().put_item(TableName="items", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        # One I/O thread: a write forwarded from it would hold every
        # connection of the follower for the round trip (60 s here).
        f = follower_server(workdir, "lmdb", p, "forward_writes: true")
        with open(f.config_path, "a") as cfg:
            cfg.write("server:\n  threads: 1\n")
        f.start()
        wait_caught_up(p, f, ["items"])
        p.proc.send_signal(signal.SIGSTOP)
        writer = None
        try:
            answered = []
            writer = threading.Thread(target=lambda: answered.append(
                call(f, "PutItem", {"TableName": "items",
                                    "Item": {"pk": {"S": "b"}, "g": {"S": "y"}}})))
            writer.start()
            time.sleep(0.5)  # the write is on its way to the frozen primary
            st, _, out = call(f, "GetItem", {"TableName": "items", "Key": {"pk": {"S": "a"}}})
            assert st == 200, out
            assert json.loads(out)["Item"]["g"]["S"] == "x"
            assert not answered  # still waiting for the primary
        finally:
            p.proc.send_signal(signal.SIGCONT)
            if writer:
                writer.join()
        assert answered[0][0] == 200, answered
        wait_caught_up(p, f, ["items"])
        assert f.client().get_item(TableName="items", Key={"pk": {"S": "b"}})["Item"]
    finally:
        stop_all(*(s for s in (f, p) if s))
