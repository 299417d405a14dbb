"""A follower's copies of several tables (docs/replication.md, "Copies
made at once"): the tables it copies at its start come from snapshots the
primary took at one moment, so a reader of two tables never sees one with
a transaction's part and the other without it; a primary from before
several snapshots were taken at once is still followed. A table is listed
only once its copy is whole: a reader never sees part of one, and a table
copied again is served from its old copy until the new one replaces it."""
import os
import threading
import time

import botocore.exceptions
import pytest

from conftest import create_table_with_gsi as create
from replication_servers import (CATCH_UP_SECONDS, LogGate, account_sum, outgrow_log,
                                 primary_server, replicated_server, scan_all, seed_accounts,
                                 stop_all, transfer, trimming_primary, wait_caught_up)

pytestmark = pytest.mark.once


def test_tables_copied_at_a_followers_start_are_from_one_moment(workdir):
    p = primary_server(workdir).start()
    gate, f = LogGate(p), None
    stop, bad, seen = threading.Event(), [], [0]
    reader = None
    try:
        pddb = p.client()
        create(pddb, "left")
        create(pddb, "right")
        seed_accounts(pddb, ["acct"], 100, 0)
        moved = []

        def transfer_after_a_snapshot(_request):
            # A transfer right after the primary answered a snapshot: were
            # the tables' snapshots taken one after the other, one copy
            # would hold it and the other not.
            if not moved:
                moved.append(True)
                transfer(pddb, "acct", 10)

        gate.on_snapshot = transfer_after_a_snapshot
        gate.hold()  # the copies are made, then nothing of the log is applied
        f = replicated_server(workdir, "lmdb", [f"follow: {gate.url}"]).start()
        fddb = f.client()

        def read():
            while not stop.is_set():
                try:
                    total = account_sum(fddb, "acct")
                except (botocore.exceptions.ClientError, KeyError):
                    continue  # a table or its item is not copied yet
                seen[0] += 1
                if total != 100:
                    bad.append(total)

        reader = threading.Thread(target=read)
        reader.start()
        gate.wait_asked(1)  # both copies made: the follower asks for the log
        assert moved
        assert account_sum(fddb, "acct") == 100
        deadline = time.time() + CATCH_UP_SECONDS
        while seen[0] == 0 and time.time() < deadline:  # the reader's turn, gate held
            time.sleep(0.01)
        stop.set()
        reader.join()
        assert seen[0] > 0
        assert bad == []
        gate.release()
        wait_caught_up(p, f, ["left", "right"])
        assert account_sum(fddb, "acct") == 100
        assert fddb.get_item(TableName="left",
                             Key={"pk": {"S": "acct"}})["Item"]["v"]["N"] == "90"
    finally:
        stop.set()
        if reader:
            reader.join()
        gate.close()
        stop_all(*(s for s in (f, p) if s))



def test_a_primary_taking_one_snapshot_at_a_time_is_followed_all_the_same(workdir):
    p = primary_server(workdir).start()
    gate, f = LogGate(p), None
    try:
        pddb = p.client()
        create(pddb, "left")
        create(pddb, "right")
        seed_accounts(pddb, ["acct"], 100, 0)
        gate.one_snapshot = True  # as a primary from before TableNames reads them
        f = replicated_server(workdir, "sqlite", [f"follow: {gate.url}"]).start()
        transfer(pddb, "acct", 10)
        wait_caught_up(p, f, ["left", "right"])
        with open(f.log_path) as log:
            assert ("the primary takes one table's snapshot at a time (it is older than "
                    "this server)") in log.read()
    finally:
        gate.close()
        stop_all(*(s for s in (f, p) if s))


def test_a_table_is_unknown_to_readers_until_its_copy_is_whole(workdir):
    p = primary_server(workdir).start()
    gate, f = LogGate(p), None
    pages, go_on = [], threading.Event()

    def on_page():
        pages.append(1)
        if len(pages) == 2:  # the first page is stored: the rest waits
            go_on.wait(CATCH_UP_SECONDS)

    try:
        pddb = p.client()
        create(pddb, "items")
        for start in range(0, 2500, 25):  # three pages of up to 1000
            pddb.batch_write_item(RequestItems={"items": [
                {"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "g": {"S": "x"}}}}
                for i in range(start, start + 25)]})
        gate.on_page = on_page
        f = replicated_server(workdir, "lmdb", [f"follow: {gate.url}"]).start()
        deadline = time.time() + CATCH_UP_SECONDS
        while len(pages) < 2 and time.time() < deadline:
            time.sleep(0.05)
        assert len(pages) >= 2
        fddb = f.client()
        with pytest.raises(botocore.exceptions.ClientError) as e:
            fddb.scan(TableName="items")
        assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert fddb.describe_table(TableName="items")["Table"]["TableStatus"] == "CREATING"
        go_on.set()
        wait_caught_up(p, f, ["items"])
        assert len(scan_all(fddb, "items")) == 2500
    finally:
        go_on.set()
        gate.close()
        stop_all(*(s for s in (f, p) if s))


def test_a_table_copied_again_is_served_from_its_old_copy_until_the_new_one_is_whole(workdir):
    p = trimming_primary(workdir).start()
    gate, f = LogGate(p), None
    held, go_on = threading.Event(), threading.Event()

    def on_page():
        held.set()
        go_on.wait(CATCH_UP_SECONDS)

    try:
        pddb = p.client()
        create(pddb, "items")
        pddb.put_item(TableName="items", Item={"pk": {"S": "first"}, "g": {"S": "a"}})
        f = replicated_server(workdir, "lmdb", [f"follow: {gate.url}"]).start()
        wait_caught_up(p, f, ["items"])
        f.stop()
        # While it is away the primary trims its log past the follower's
        # position, so the follower copies the table again.
        outgrow_log(pddb, "items")
        gate.on_page = on_page
        f.start()
        assert held.wait(CATCH_UP_SECONDS)
        fddb = f.client()
        assert list(scan_all(fddb, "items")) == ["first"]
        assert fddb.describe_table(TableName="items")["Table"]["TableStatus"] == "ACTIVE"
        go_on.set()
        wait_caught_up(p, f, ["items"])
        assert len(scan_all(fddb, "items")) == 301
        with open(f.log_path) as log:
            assert "table items replaced by its new copy" in log.read()
        # The old copy's folder is gone, the new one named in the catalog.
        folders = os.listdir(os.path.join(f.data_dir, "tables"))
        assert len(folders) == 1 and folders[0].startswith("items@"), folders
    finally:
        go_on.set()
        gate.close()
        stop_all(*(s for s in (f, p) if s))
