"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup
and RestoreTableFromBackup, their shapes and errors; a backup taken under
concurrent writes restores a consistent table; indexes answer on the
restored table; backups survive a restart; a restore lands on the engine the
rules pick for the new name. Texts DynamoDB's documents do not give are
listed in docs/backups.md."""
import json
import os
import re
import signal
import threading
import time
import uuid

import botocore.exceptions
import pytest

from conftest import ENGINES, error_of, new_server
from node_sdk import run_node
import raw_http

ARN = re.compile(r"^arn:aws:dynamodb:us-east-1:000000000000:table/([^/]+)/backup/\d{14}-[0-9a-f]{8}$")


def fails(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error_of(e)


def name(prefix="b"):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def indexed_table(ddb, table):
    """pk (S) + sk (N), an LSI on `lsk` and a GSI on `g` + `sk`."""
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "lsk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        LocalSecondaryIndexes=[{
            "IndexName": "by_lsk",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "lsk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by_g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6})


def fill(ddb, table, n):
    for i in range(n):
        ddb.put_item(TableName=table, Item={
            "pk": {"S": f"p{i % 5}"}, "sk": {"N": str(i)}, "lsk": {"S": f"l{i:04d}"},
            "g": {"S": f"g{i % 3}"}, "body": {"S": "x" * 100}})


def wait_active(ddb, table, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        t = ddb.describe_table(TableName=table)["Table"]
        if t["TableStatus"] == "ACTIVE":
            return t
        assert t["TableStatus"] == "CREATING"
        time.sleep(0.05)
    raise AssertionError(f"{table} did not become ACTIVE")


def scan_all(ddb, table, **kwargs):
    items, start = [], None
    while True:
        page = ddb.scan(TableName=table, **({"ExclusiveStartKey": start} if start else {}), **kwargs)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def query_all(ddb, table, **kwargs):
    items, start = [], None
    while True:
        page = ddb.query(TableName=table, **({"ExclusiveStartKey": start} if start else {}), **kwargs)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def test_backup_describe_list_restore_delete(ddb):
    table, restored = name(), name("r")
    indexed_table(ddb, table)
    fill(ddb, table, 30)
    details = ddb.create_backup(TableName=table, BackupName="nightly-1.a")["BackupDetails"]
    arn = details["BackupArn"]
    assert ARN.match(arn).group(1) == table
    assert details["BackupName"] == "nightly-1.a"
    assert details["BackupStatus"] == "AVAILABLE"
    assert details["BackupType"] == "USER"
    assert details["BackupSizeBytes"] > 0
    assert abs(details["BackupCreationDateTime"].timestamp() - time.time()) < 60
    assert "BackupExpiryDateTime" not in details

    described = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["BackupDetails"] == details
    source = described["SourceTableDetails"]
    desc = ddb.describe_table(TableName=table)["Table"]
    assert source["TableName"] == table
    assert source["TableId"] == desc["TableId"]
    assert source["TableArn"] == desc["TableArn"]
    assert source["KeySchema"] == desc["KeySchema"]
    assert source["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 6}
    assert source["BillingMode"] == "PROVISIONED"
    assert source["ItemCount"] == 30
    features = described["SourceTableFeatureDetails"]
    assert [i["IndexName"] for i in features["LocalSecondaryIndexes"]] == ["by_lsk"]
    gsi = features["GlobalSecondaryIndexes"][0]
    assert gsi["IndexName"] == "by_g"
    assert gsi["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert gsi["ProvisionedThroughput"] == {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}

    # Writes after the backup are not in it.
    ddb.put_item(TableName=table, Item={"pk": {"S": "late"}, "sk": {"N": "1"}})

    listed = ddb.list_backups(TableName=table)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [arn]
    assert listed[0]["TableName"] == table and listed[0]["BackupSizeBytes"] == details["BackupSizeBytes"]

    answer = ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)
    started = answer["TableDescription"]
    assert started["TableName"] == restored
    assert started["TableStatus"] == "CREATING"
    assert started["RestoreSummary"]["SourceBackupArn"] == arn
    assert started["RestoreSummary"]["SourceTableArn"] == desc["TableArn"]
    assert started["RestoreSummary"]["RestoreInProgress"] is True
    assert restored in ddb.list_tables()["TableNames"]
    t = wait_active(ddb, restored)
    assert t["RestoreSummary"]["RestoreInProgress"] is False
    assert t["KeySchema"] == desc["KeySchema"]
    assert [i["IndexName"] for i in t["GlobalSecondaryIndexes"]] == ["by_g"]
    assert [i["IndexName"] for i in t["LocalSecondaryIndexes"]] == ["by_lsk"]
    assert t["TableId"] != desc["TableId"]

    items = scan_all(ddb, restored)
    assert len(items) == 30
    assert all(i["pk"]["S"] != "late" for i in items)
    # Both indexes answer on the restored table as on the source.
    for kwargs in (
            {"IndexName": "by_g", "KeyConditionExpression": "g = :g",
             "ExpressionAttributeValues": {":g": {"S": "g1"}}},
            {"IndexName": "by_lsk", "KeyConditionExpression": "pk = :p AND lsk > :l",
             "ExpressionAttributeValues": {":p": {"S": "p2"}, ":l": {"S": "l0010"}}}):
        assert query_all(ddb, restored, **kwargs) == query_all(ddb, table, **kwargs)
        assert query_all(ddb, restored, **kwargs)
    # The restored table takes writes and keeps them apart from the source.
    ddb.put_item(TableName=restored, Item={"pk": {"S": "new"}, "sk": {"N": "1"}, "g": {"S": "g1"}})
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "new"}, "sk": {"N": "1"}})

    deleted = ddb.delete_backup(BackupArn=arn)["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    assert deleted["BackupDetails"]["BackupArn"] == arn
    assert fails(ddb.describe_backup, BackupArn=arn) == (
        "BackupNotFoundException", f"Backup not found: {arn}")
    assert fails(ddb.delete_backup, BackupArn=arn)[0] == "BackupNotFoundException"
    assert ddb.list_backups(TableName=table)["BackupSummaries"] == []
    # The restored table outlives its backup.
    assert len(scan_all(ddb, restored)) == 31
    ddb.delete_table(TableName=restored)
    ddb.delete_table(TableName=table)


def test_restore_overrides(ddb):
    table, restored = name(), name("r")
    indexed_table(ddb, table)
    fill(ddb, table, 12)
    arn = ddb.create_backup(TableName=table, BackupName="over")["BackupDetails"]["BackupArn"]
    ddb.restore_table_from_backup(
        TargetTableName=restored, BackupArn=arn, BillingModeOverride="PAY_PER_REQUEST",
        GlobalSecondaryIndexOverride=[], LocalSecondaryIndexOverride=[{
            "IndexName": "by_lsk",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "lsk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}])
    t = wait_active(ddb, restored)
    assert t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "GlobalSecondaryIndexes" not in t
    assert [i["IndexName"] for i in t["LocalSecondaryIndexes"]] == ["by_lsk"]
    assert {a["AttributeName"] for a in t["AttributeDefinitions"]} == {"pk", "sk", "lsk"}
    assert len(scan_all(ddb, restored)) == 12
    code, _ = fails(ddb.query, TableName=restored, IndexName="by_g",
                    KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "g1"}})
    assert code == "ValidationException"

    # New throughput for the table and a kept GSI.
    again = name("r")
    ddb.restore_table_from_backup(
        TargetTableName=again, BackupArn=arn,
        ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8},
        GlobalSecondaryIndexOverride=[{
            "IndexName": "by_g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 9, "WriteCapacityUnits": 10}}])
    t = wait_active(ddb, again)
    assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert t["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"] == 10
    assert len(query_all(ddb, again, IndexName="by_g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "g0"}})) == 4

    # An override naming an index the backup does not have, or changing one.
    bad_gsi = {"IndexName": "nope",
               "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
               "Projection": {"ProjectionType": "ALL"},
               "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}
    code, _ = fails(ddb.restore_table_from_backup, TargetTableName=name("r"), BackupArn=arn,
                    GlobalSecondaryIndexOverride=[bad_gsi])
    assert code == "ValidationException"
    code, message = fails(ddb.restore_table_from_backup, TargetTableName=name("r"),
                          BackupArn=arn, BillingModeOverride="PAY_PER_REQUEST",
                          ProvisionedThroughputOverride={"ReadCapacityUnits": 1,
                                                         "WriteCapacityUnits": 1})
    assert code == "ValidationException"
    for t in (table, restored, again):
        ddb.delete_table(TableName=t)
    ddb.delete_backup(BackupArn=arn)


def test_errors(ddb, server):
    table = name()
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    assert fails(ddb.create_backup, TableName="no_such_table", BackupName="bk1") == (
        "TableNotFoundException", "Table not found: no_such_table")
    code, message = fails(ddb.create_backup, TableName=table, BackupName="a b")
    assert code == "ValidationException"
    assert message == ("1 validation error detected: Value 'a b' at 'backupName' failed to "
                       "satisfy constraint: Member must satisfy regular expression pattern: "
                       "[a-zA-Z0-9_.-]+")
    code, message = fails(ddb.create_backup, TableName=table, BackupName="ab")
    assert code == "ValidationException" and "Member must have length greater than or equal to 3" in message
    arn = ddb.create_backup(TableName=table, BackupName="errs")["BackupDetails"]["BackupArn"]

    missing = arn[:-8] + ("0" * 8 if not arn.endswith("0" * 8) else "1" * 8)
    for call in (ddb.describe_backup, ddb.delete_backup):
        assert fails(call, BackupArn=missing) == ("BackupNotFoundException", f"Backup not found: {missing}")
    assert fails(ddb.restore_table_from_backup, TargetTableName=name("r"), BackupArn=missing) == (
        "BackupNotFoundException", f"Backup not found: {missing}")
    # Another table's name in the ARN does not find the backup.
    other = arn.replace(f"table/{table}/", "table/someone_else/")
    assert fails(ddb.describe_backup, BackupArn=other)[0] == "BackupNotFoundException"
    code, message = fails(ddb.describe_backup, BackupArn="arn:short")
    assert code == "ValidationException" and "Member must have length greater than or equal to 37" in message

    assert fails(ddb.restore_table_from_backup, TargetTableName=table, BackupArn=arn) == (
        "TableAlreadyExistsException", f"Table already exists: {table}")
    code, _ = fails(ddb.restore_table_from_backup, TargetTableName="x!", BackupArn=arn)
    assert code == "ValidationException"

    for limit in (0, 101):
        code, _ = fails(ddb.list_backups, Limit=limit)
        assert code == "ValidationException"
    code, message = fails(ddb.list_backups, BackupType="WEEKLY")
    assert code == "ValidationException" and "[USER, SYSTEM, AWS_BACKUP, ALL]" in message
    assert ddb.list_backups(TableName=table, BackupType="SYSTEM")["BackupSummaries"] == []
    assert len(ddb.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]) == 1

    # A table being restored is in use until it is ACTIVE; a restore onto its
    # name is refused meanwhile, and so are backups and deletion of it.
    restored = name("r")
    ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)
    try:
        code, _ = fails(ddb.restore_table_from_backup, TargetTableName=restored, BackupArn=arn)
        assert code in ("TableInUseException", "TableAlreadyExistsException")
    finally:
        wait_active(ddb, restored)
    ddb.delete_table(TableName=restored)
    ddb.delete_backup(BackupArn=arn)
    ddb.delete_table(TableName=table)
    # Nothing else answers UnknownOperationException any more.
    status, _, body = raw_http.call(server, "ListBackups", {})
    assert status == 200, body


def test_list_paging_and_time_range(ddb, server):
    table = name()
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    arns = []
    for i in range(5):
        arns.append(ddb.create_backup(TableName=table, BackupName=f"page{i}")["BackupDetails"]["BackupArn"])
        time.sleep(0.01)
    seen, start = [], None
    while True:
        page = ddb.list_backups(TableName=table, Limit=2,
                                **({"ExclusiveStartBackupArn": start} if start else {}))
        seen += [b["BackupArn"] for b in page["BackupSummaries"]]
        start = page.get("LastEvaluatedBackupArn")
        if not start:
            break
    assert seen == arns
    # Raw JSON: the SDK sends whole seconds, and these backups share one.
    times = [ddb.describe_backup(BackupArn=a)["BackupDescription"]["BackupDetails"]
             ["BackupCreationDateTime"].timestamp() for a in arns]
    status, _, body = raw_http.call(server, "ListBackups", {
        "TableName": table, "TimeRangeLowerBound": times[1], "TimeRangeUpperBound": times[3]})
    assert status == 200, body
    got = json.loads(body)["BackupSummaries"]
    assert [b["BackupArn"] for b in got] == arns[1:3]
    # Through the SDK: bounds around all of them.
    got = ddb.list_backups(TableName=table, TimeRangeLowerBound=int(times[0]),
                           TimeRangeUpperBound=int(times[4]) + 1)["BackupSummaries"]
    assert [b["BackupArn"] for b in got] == arns
    for a in arns:
        ddb.delete_backup(BackupArn=a)
    ddb.delete_table(TableName=table)


def test_backup_under_concurrent_writes_is_consistent(ddb, server):
    """Each item is written whole with its index entry while backups are taken;
    every restored table holds whole items, and its GSI exactly those items."""
    table = name()
    ddb.create_table(
        TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    stop = threading.Event()
    written = []

    def writer():
        client = server.client()
        i = 0
        while not stop.is_set():
            client.put_item(TableName=table, Item={
                "pk": {"S": f"k{i}"}, "g": {"S": "all"}, "n": {"N": str(i)},
                "copy": {"S": f"k{i}"}, "pad": {"S": "y" * 500}})
            written.append(i)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    arns = []
    try:
        while len(written) < 50:
            time.sleep(0.01)
        for i in range(3):
            arns.append(ddb.create_backup(TableName=table, BackupName=f"live{i}")
                        ["BackupDetails"]["BackupArn"])
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    counts = []
    for arn in arns:
        restored = name("r")
        ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)
        wait_active(ddb, restored)
        items = scan_all(ddb, restored)
        assert items, "a backup taken after 50 writes is not empty"
        for item in items:
            assert item["copy"]["S"] == item["pk"]["S"]
            assert item["pad"]["S"] == "y" * 500 and item["g"]["S"] == "all"
        numbers = sorted(int(i["n"]["N"]) for i in items)
        # Writes are sequential: a consistent copy holds a prefix of them.
        assert numbers == list(range(len(numbers)))
        indexed = query_all(ddb, restored, IndexName="by_g", KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": {"S": "all"}})
        assert sorted(i["pk"]["S"] for i in indexed) == sorted(i["pk"]["S"] for i in items)
        assert ddb.describe_table(TableName=restored)["Table"]["ItemCount"] == len(items)
        counts.append(len(items))
        ddb.delete_table(TableName=restored)
        ddb.delete_backup(BackupArn=arn)
    assert counts == sorted(counts)
    ddb.delete_table(TableName=table)


def test_restart_between_backup_and_restore(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    table = name()
    indexed_table(ddb, table)
    fill(ddb, table, 20)
    arn = ddb.create_backup(TableName=table, BackupName="before-restart")["BackupDetails"]["BackupArn"]
    size = ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupSizeBytes"]
    # A half-written backup left by a crash is cleaned up at start-up, and a
    # folder the server does not know is left alone.
    backups = os.path.join(srv.data_dir, "backups")
    half = os.path.join(backups, "01700000000000-deadbeef")
    os.makedirs(os.path.join(half, "data"))
    open(os.path.join(half, "jormun-creating"), "w").close()
    stranger = os.path.join(backups, "notes")
    os.makedirs(stranger)
    srv.stop()
    srv.start()
    ddb = srv.client()
    assert not os.path.exists(half)
    assert os.path.exists(stranger)
    details = ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]
    assert details["BackupSizeBytes"] == size
    assert [b["BackupArn"] for b in ddb.list_backups()["BackupSummaries"]] == [arn]
    restored = name("r")
    ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)
    wait_active(ddb, restored)
    assert len(scan_all(ddb, restored)) == 20
    srv.stop()
    # The restored table and its summary survive a restart.
    srv.start()
    ddb = srv.client()
    t = ddb.describe_table(TableName=restored)["Table"]
    assert t["TableStatus"] == "ACTIVE"
    assert t["RestoreSummary"]["SourceBackupArn"] == arn
    assert len(query_all(ddb, restored, IndexName="by_g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "g2"}})) == 6
    srv.stop()


def test_kill_during_backup_and_restore(workdir, engine):
    """A SIGKILL while backups are taken and a table is restored: after the
    restart every listed backup is whole, no half backup is left, and the
    restored table is either whole and ACTIVE or gone (never half there)."""
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    table = name()
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    for start in range(0, 2000, 25):
        ddb.batch_write_item(RequestItems={table: [
            {"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "v": {"S": "z" * 200}}}}
            for i in range(start, start + 25)]})
    arn = ddb.create_backup(TableName=table, BackupName="before-kill")["BackupDetails"]["BackupArn"]
    restored = name("r")
    ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)

    def more_backups():
        client = srv.client()
        try:
            for i in range(20):
                client.create_backup(TableName=table, BackupName=f"racing{i}")
        except Exception:
            pass  # the server is gone

    racer = threading.Thread(target=more_backups)
    racer.start()
    time.sleep(0.05)
    srv.stop(signal.SIGKILL)
    racer.join()
    srv.start()
    ddb = srv.client()
    backups_dir = os.path.join(srv.data_dir, "backups")
    for entry in os.listdir(backups_dir):
        folder = os.path.join(backups_dir, entry)
        assert not os.path.exists(os.path.join(folder, "jormun-creating")), entry
        assert os.path.exists(os.path.join(folder, "backup.json")), entry
    listed = ddb.list_backups(TableName=table)["BackupSummaries"]
    assert arn in [b["BackupArn"] for b in listed]
    assert len(listed) == len(os.listdir(backups_dir))
    try:
        t = wait_active(ddb, restored)
        assert t["ItemCount"] == 2000
        assert len(scan_all(ddb, restored)) == 2000
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ResourceNotFoundException"
        assert restored not in ddb.list_tables()["TableNames"]
        assert not os.path.exists(os.path.join(srv.data_dir, "tables", restored))
    # Every backup left is whole: the last one restores completely.
    again = name("r")
    ddb.restore_table_from_backup(TargetTableName=again, BackupArn=listed[-1]["BackupArn"])
    wait_active(ddb, again)
    assert len(scan_all(ddb, again)) == 2000
    srv.stop()


def test_backups_dir_config(workdir, engine):
    srv = new_server(workdir, engine)
    elsewhere = os.path.join(workdir, "backups-" + uuid.uuid4().hex[:6])
    with open(srv.config_path, "a") as f:
        f.write(f"backups:\n  dir: {elsewhere}\n")
    srv.start()
    ddb = srv.client()
    table = name()
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    arn = ddb.create_backup(TableName=table, BackupName="moved")["BackupDetails"]["BackupArn"]
    assert os.listdir(elsewhere) == [arn.rsplit("/", 1)[1]]
    srv.stop()


@pytest.mark.parametrize("other", [0, 1])
def test_restore_onto_another_engine(workdir, engine, other):
    """The rules pick the restored table's engine by its new name; the items
    and index entries are streamed from the checkpoint. The source is each
    engine other than the one under test."""
    source = [e for e in ENGINES if e != engine][other]
    srv = new_server(workdir, engine, rules=[("src_*", source)]).start()
    ddb = srv.client()
    table, restored = name("src"), name("dst")
    indexed_table(ddb, table)
    fill(ddb, table, 25)
    arn = ddb.create_backup(TableName=table, BackupName="cross")["BackupDetails"]["BackupArn"]
    ddb.restore_table_from_backup(TargetTableName=restored, BackupArn=arn)
    t = wait_active(ddb, restored)
    _, _, body = raw_http.call(srv, "DescribeTable", {"TableName": restored})
    assert json.loads(body)["Table"]["JormunEngine"]["Name"] == engine
    _, _, body = raw_http.call(srv, "DescribeTable", {"TableName": table})
    assert json.loads(body)["Table"]["JormunEngine"]["Name"] == source
    assert t["ItemCount"] == 25
    assert sorted(map(str, scan_all(ddb, restored))) == sorted(map(str, scan_all(ddb, table)))
    kwargs = {"IndexName": "by_g", "KeyConditionExpression": "g = :g",
              "ExpressionAttributeValues": {":g": {"S": "g0"}}}
    assert query_all(ddb, restored, **kwargs) == query_all(ddb, table, **kwargs)
    srv.stop()


def test_js_sdk(server):
    out = run_node(["--test", "backups.test.mjs"], {"JORMUN_ENDPOINT": server.endpoint})
    assert out.returncode == 0, out.stdout + out.stderr
