"""Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups
and RestoreTableToPointInTime, their shapes and errors; restores at several
noted times (and at the latest restorable time) compared item by item, across
a restart and periodic checkpoints, with the indexes answering on the
restored tables. Texts DynamoDB's documents do not give are listed in
docs/validation-messages.md ("unconfirmed")."""
import datetime
import json
import time

import pytest

from conftest import new_server
import raw_http
from test_backups import fails, fill, indexed_table, name, query_all, scan_all, wait_active


def pitr_server(workdir, engine, interval=1):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write(f"backups:\n  pitr_checkpoint_interval_seconds: {interval}\n")
    return srv.start()


@pytest.fixture(scope="module")
def srv(workdir, engine):
    s = pitr_server(workdir, engine)
    yield s
    s.stop()


def pitr_of(ddb, table):
    d = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert d["ContinuousBackupsStatus"] == "ENABLED"
    return d["PointInTimeRecoveryDescription"]


def enable(ddb, table):
    return ddb.update_continuous_backups(
        TableName=table,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )["ContinuousBackupsDescription"]


def raw(srv, target, body):
    """(status, JSON answer): RecoveryPeriodInDays is newer than the boto3
    the tests run with, which neither sends nor parses it."""
    status, _, out = raw_http.call(srv, target, body)
    return status, json.loads(out)


def raw_pitr(srv, table, **spec):
    return raw(srv, "UpdateContinuousBackups", {
        "TableName": table, "PointInTimeRecoverySpecification": spec})


def by_key(items):
    return {(i["pk"]["S"], i["sk"]["N"]): i for i in items}


def test_shapes(srv):
    ddb = srv.client()
    table = name("p")
    indexed_table(ddb, table)
    assert pitr_of(ddb, table) == {"PointInTimeRecoveryStatus": "DISABLED"}
    before = time.time()
    d = enable(ddb, table)
    p = d["PointInTimeRecoveryDescription"]
    assert d["ContinuousBackupsStatus"] == "ENABLED"
    assert p["PointInTimeRecoveryStatus"] == "ENABLED"
    assert before - 1 <= p["EarliestRestorableDateTime"].timestamp() <= time.time() + 1
    assert p["LatestRestorableDateTime"] >= p["EarliestRestorableDateTime"]
    status, d = raw(srv, "DescribeContinuousBackups", {"TableName": table})
    assert status == 200
    assert d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "RecoveryPeriodInDays"] == 35
    # The period changes without closing the window.
    status, d = raw_pitr(srv, table, PointInTimeRecoveryEnabled=True, RecoveryPeriodInDays=7)
    assert status == 200
    p2 = d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert p2["RecoveryPeriodInDays"] == 7
    assert abs(p2["EarliestRestorableDateTime"] -
               p["EarliestRestorableDateTime"].timestamp()) < 0.002
    # A table ARN names the table too.
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    status, d = raw(srv, "DescribeContinuousBackups", {"TableName": arn})
    assert d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "RecoveryPeriodInDays"] == 7
    off = ddb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    assert off["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"] == {
        "PointInTimeRecoveryStatus": "DISABLED"}
    assert pitr_of(ddb, table) == {"PointInTimeRecoveryStatus": "DISABLED"}


def test_validation(srv):
    ddb = srv.client()
    table, other = name("p"), name("p")
    indexed_table(ddb, table)
    indexed_table(ddb, other)
    for days in (0, 36):
        status, e = raw_pitr(srv, table, PointInTimeRecoveryEnabled=True,
                             RecoveryPeriodInDays=days)
        assert status == 400
        assert e["__type"].endswith("#ValidationException")
        assert "recoveryPeriodInDays" in e["message"]
    e = fails(ddb.update_continuous_backups, TableName=table)
    assert e[0] == "ValidationException"
    assert "pointInTimeRecoverySpecification" in e[1]
    e = fails(ddb.update_continuous_backups, TableName=table,
              PointInTimeRecoverySpecification={})
    assert e[0] == "ValidationException"
    assert pitr_of(ddb, table)["PointInTimeRecoveryStatus"] == "DISABLED"
    e = fails(ddb.describe_continuous_backups, TableName="nope_" + table)
    assert e[0] == "TableNotFoundException"
    e = fails(ddb.update_continuous_backups, TableName="nope_" + table,
              PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    assert e[0] == "TableNotFoundException"
    # PITR off: no restore.
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=name("r"), UseLatestRestorableTime=True)
    assert e[0] == "PointInTimeRecoveryUnavailableException"
    enable(ddb, table)
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=name("r"))
    assert e[0] == "ValidationException"
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=name("r"), UseLatestRestorableTime=True,
              RestoreDateTime=datetime.datetime.now())
    assert e[0] == "ValidationException"
    e = fails(ddb.restore_table_to_point_in_time, TargetTableName=name("r"),
              UseLatestRestorableTime=True)
    assert e[0] == "ValidationException"
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=name("r"),
              RestoreDateTime=datetime.datetime.now() - datetime.timedelta(hours=1))
    assert e[0] == "InvalidRestoreTimeException"
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=name("r"),
              RestoreDateTime=datetime.datetime.now() + datetime.timedelta(hours=1))
    assert e[0] == "InvalidRestoreTimeException"
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=other, UseLatestRestorableTime=True)
    assert e[0] == "TableAlreadyExistsException"
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName="nope_" + table,
              TargetTableName=name("r"), UseLatestRestorableTime=True)
    assert e[0] == "TableNotFoundException"
    e = fails(ddb.restore_table_to_point_in_time, SourceTableName=table,
              TargetTableName=name("r"), UseLatestRestorableTime=True,
              GlobalSecondaryIndexOverride=[{
                  "IndexName": "not_there",
                  "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                  "Projection": {"ProjectionType": "ALL"}}])
    assert e[0] == "ValidationException"
    # No refused restore left a table behind.
    assert not [t for t in ddb.list_tables()["TableNames"] if t.startswith("r_")]


def restore_at(ddb, source, at=None):
    target = name("r")
    kwargs = {"UseLatestRestorableTime": True} if at is None else {
        "RestoreDateTime": datetime.datetime.fromtimestamp(at, datetime.timezone.utc)}
    t = ddb.restore_table_to_point_in_time(SourceTableName=source, TargetTableName=target,
                                           **kwargs)["TableDescription"]
    assert t["TableStatus"] == "CREATING"
    assert t["RestoreSummary"]["RestoreInProgress"] is True
    assert "SourceBackupArn" not in t["RestoreSummary"]
    assert t["RestoreSummary"]["SourceTableArn"].endswith(":table/" + source)
    wait_active(ddb, target)
    return target


def check_restored(ddb, target, expected):
    """Every item, and the indexes' answers, are those of `expected`."""
    got = by_key(scan_all(ddb, target))
    assert got == expected
    t = ddb.describe_table(TableName=target)["Table"]
    assert [i["IndexName"] for i in t["LocalSecondaryIndexes"]] == ["by_lsk"]
    assert [i["IndexName"] for i in t["GlobalSecondaryIndexes"]] == ["by_g"]
    assert "StreamSpecification" not in t
    for g in ("g0", "g1", "g2"):
        keys = query_all(ddb, target, IndexName="by_g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": g}})
        assert sorted((i["pk"]["S"], i["sk"]["N"]) for i in keys) == sorted(
            k for k, i in expected.items() if i.get("g") == {"S": g})
    for p in ("p0", "p1", "p2", "p3", "p4"):
        items = query_all(ddb, target, IndexName="by_lsk", KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": p}})
        want = sorted((i for k, i in expected.items() if k[0] == p and "lsk" in i),
                      key=lambda i: i["lsk"]["S"])
        assert items == want
    assert pitr_of(ddb, target) == {"PointInTimeRecoveryStatus": "DISABLED"}


def note(ddb, table):
    """The table's state at a time no write is near."""
    time.sleep(1.1)
    at = time.time()
    state = by_key(scan_all(ddb, table))
    time.sleep(1.1)
    return at, state


def test_restores_at_noted_times_across_a_restart(workdir, engine):
    srv = pitr_server(workdir, engine)
    ddb = srv.client()
    table = name("p")
    indexed_table(ddb, table)
    fill(ddb, table, 10)  # before PITR: in the first checkpoint
    # A stream on the table does not disturb the change log, nor it the stream.
    ddb.update_table(TableName=table, StreamSpecification={
        "StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    enable(ddb, table)
    noted = [note(ddb, table)]
    fill(ddb, table, 25)  # overwrites the first 10, adds 15
    ddb.delete_item(TableName=table, Key={"pk": {"S": "p1"}, "sk": {"N": "1"}})
    ddb.update_item(TableName=table, Key={"pk": {"S": "p2"}, "sk": {"N": "2"}},
                    UpdateExpression="SET g = :g, extra = :x REMOVE lsk",
                    ExpressionAttributeValues={":g": {"S": "g0"}, ":x": {"N": "7"}})
    noted.append(note(ddb, table))
    srv.stop()
    srv.start()
    ddb = srv.client()
    for i in range(0, 25, 3):
        ddb.delete_item(TableName=table, Key={"pk": {"S": f"p{i % 5}"}, "sk": {"N": str(i)}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "p4"}, "sk": {"N": "99"},
                                        "g": {"S": "g1"}, "lsk": {"S": "zz"}})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"pk": {"S": "p0"}, "sk": {"N": "100"},
                                               "g": {"S": "g2"}}}},
        {"Delete": {"TableName": table, "Key": {"pk": {"S": "p1"}, "sk": {"N": "4"}}}}])
    noted.append(note(ddb, table))  # periodic checkpoints were taken meanwhile
    for at, state in noted:
        check_restored(ddb, restore_at(ddb, table, at), state)
    latest = by_key(scan_all(ddb, table))
    check_restored(ddb, restore_at(ddb, table), latest)
    # The user stream saw every change too (one record per change at least).
    assert ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    srv.stop()
    # PITR settings survive a restart.
    srv.start()
    ddb = srv.client()
    p = pitr_of(ddb, table)
    assert p["PointInTimeRecoveryStatus"] == "ENABLED"
    check_restored(ddb, restore_at(ddb, table, noted[1][0]), noted[1][1])
    srv.stop()
