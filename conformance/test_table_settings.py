"""Table settings and small actions: DeletionProtectionEnabled (enforced by
DeleteTable), TableClass, SSESpecification, OnDemandThroughput and
WarmThroughput (recorded and described, kept across a restart),
DeleteTable's answer, DescribeLimits and DescribeEndpoints. Debian's
botocore predates some of these members, so those go as raw JSON."""
import json

import botocore.exceptions
import pytest

from conftest import error_of, new_server
import raw_http

INVALID = "One or more parameter values were invalid: "
PROTECTED = ("Resource cannot be deleted as it is currently protected against deletion. "
             "Disable deletion protection first.")


def call(server, target, body):
    status, _, data = raw_http.call(server, target, body)
    return status, json.loads(data)


def ok(server, target, body):
    status, answer = call(server, target, body)
    assert status == 200, answer
    return answer


def refused(server, target, body):
    status, answer = call(server, target, body)
    assert status == 400, answer
    return answer["__type"].split("#")[-1], answer.get("message")


def create_body(name, **extra):
    return dict({"TableName": name, "BillingMode": "PAY_PER_REQUEST",
                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]},
                **extra)


def describe(server, name):
    return ok(server, "DescribeTable", {"TableName": name})["Table"]


@pytest.fixture
def cleanup(server):
    names = []
    yield names
    for name in names:
        call(server, "UpdateTable", {"TableName": name, "DeletionProtectionEnabled": False})
        call(server, "DeleteTable", {"TableName": name})


def test_defaults_are_described(server, hash_table):
    t = describe(server, hash_table)
    assert t["DeletionProtectionEnabled"] is False
    assert "TableClassSummary" not in t and "SSEDescription" not in t
    assert "OnDemandThroughput" not in t
    assert t["WarmThroughput"] == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
                                   "Status": "ACTIVE"}


def test_deletion_protection(server, table_name, cleanup):
    cleanup.append(table_name)
    ok(server, "CreateTable", create_body(table_name, DeletionProtectionEnabled=True))
    assert describe(server, table_name)["DeletionProtectionEnabled"] is True
    assert refused(server, "DeleteTable", {"TableName": table_name}) == (
        "ValidationException", PROTECTED)
    assert describe(server, table_name)["TableStatus"] == "ACTIVE"
    assert refused(server, "UpdateTable", {"TableName": table_name, "BillingMode": "PROVISIONED",
                                           "DeletionProtectionEnabled": False}) == (
        "ValidationException",
        INVALID + "DeletionProtection modification must be the only operation in the request")
    answer = ok(server, "UpdateTable", {"TableName": table_name,
                                        "DeletionProtectionEnabled": False})
    assert answer["TableDescription"]["DeletionProtectionEnabled"] is False
    ok(server, "DeleteTable", {"TableName": table_name})


def test_table_class(ddb, server, table_name, cleanup):
    cleanup.append(table_name)
    assert refused(server, "CreateTable", create_body(table_name, TableClass="COLD")) == (
        "ValidationException",
        "Invalid table-class parameter provided. Please try again with a valid table-class "
        "value: [STANDARD, STANDARD_INFREQUENT_ACCESS].")
    ok(server, "CreateTable", create_body(table_name))
    # STANDARD on a table that never had a class changes nothing.
    ok(server, "UpdateTable", {"TableName": table_name, "TableClass": "STANDARD"})
    assert "TableClassSummary" not in describe(server, table_name)
    ddb.update_table(TableName=table_name, TableClass="STANDARD_INFREQUENT_ACCESS")
    summary = ddb.describe_table(TableName=table_name)["Table"]["TableClassSummary"]
    assert summary["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert "LastUpdateDateTime" in summary
    assert refused(server, "UpdateTable", {"TableName": table_name, "TableClass": "STANDARD",
                                           "BillingMode": "PROVISIONED",
                                           "ProvisionedThroughput": {"ReadCapacityUnits": 1,
                                                                     "WriteCapacityUnits": 1}}) \
        == ("ValidationException",
            INVALID + "TableClass modification must be the only operation in the request")


def test_sse_specification(server, table_name, cleanup):
    cleanup.append(table_name)
    for sse, message in (
            ({"Enabled": False, "SSEType": "KMS"}, "SSEType can not be specified if Enabled is false"),
            ({"Enabled": False, "KMSMasterKeyId": "k"},
             "KMSMasterKeyId can not be specified if Enabled is false"),
            ({"Enabled": True, "SSEType": "AES256"}, "SSEType AES256 is not supported"),
            ({"Enabled": True, "KMSMasterKeyId": "k"},
             "SSEType KMS is required if KMSMasterKeyId is specified")):
        assert refused(server, "CreateTable", create_body(table_name, SSESpecification=sse)) == (
            "ValidationException", INVALID + message)
    ok(server, "CreateTable", create_body(table_name, SSESpecification={"Enabled": False}))
    assert "SSEDescription" not in describe(server, table_name)
    assert refused(server, "UpdateTable", {"TableName": table_name, "SSESpecification": {}}) == (
        "ValidationException", INVALID + "Table is already encrypted by default")
    key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ok(server, "UpdateTable", {"TableName": table_name, "SSESpecification": {
        "Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}})
    assert describe(server, table_name)["SSEDescription"] == {
        "Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key}
    ok(server, "UpdateTable", {"TableName": table_name, "SSESpecification": {"Enabled": False}})
    assert "SSEDescription" not in describe(server, table_name)


def test_sse_enabled_uses_the_managed_key(server, table_name, cleanup):
    cleanup.append(table_name)
    ok(server, "CreateTable", create_body(table_name, SSESpecification={"SSEType": "KMS"}))
    sse = describe(server, table_name)["SSEDescription"]
    assert sse["Status"] == "ENABLED" and sse["SSEType"] == "KMS"
    assert sse["KMSMasterKeyArn"].startswith("arn:aws:kms:us-east-1:000000000000:key/")


def test_on_demand_and_warm_throughput(server, table_name, cleanup):
    cleanup.append(table_name)
    provisioned = create_body(table_name, BillingMode="PROVISIONED",
                              ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                     "WriteCapacityUnits": 1},
                              OnDemandThroughput={"MaxReadRequestUnits": 10})
    assert refused(server, "CreateTable", provisioned) == (
        "ValidationException", INVALID + "MaxReadRequestUnits for OnDemandThroughput cannot be "
        "specified when the table BillingMode is PROVISIONED")
    assert refused(server, "CreateTable", create_body(
        table_name, OnDemandThroughput={"MaxWriteRequestUnits": 0})) == (
        "ValidationException", INVALID + "Requested MaxWriteRequestUnits for OnDemandThroughput "
        "for table is outside of valid range")
    ok(server, "CreateTable", create_body(
        table_name, OnDemandThroughput={"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50},
        WarmThroughput={"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 5000}))
    t = describe(server, table_name)
    assert t["OnDemandThroughput"] == {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    assert t["WarmThroughput"] == {"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 5000,
                                   "Status": "ACTIVE"}
    assert refused(server, "UpdateTable", {"TableName": table_name, "WarmThroughput": {
        "ReadUnitsPerSecond": 12500}}) == (
        "ValidationException", INVALID + "Requested ReadUnitsPerSecond for WarmThroughput for "
        "table is lower than current WarmThroughput, decreasing WarmThroughput is not supported")
    ok(server, "UpdateTable", {"TableName": table_name, "BillingMode": "PAY_PER_REQUEST",
                               "OnDemandThroughput": {"MaxReadRequestUnits": -1}})
    assert describe(server, table_name)["OnDemandThroughput"] == {
        "MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 50}


def test_delete_table_answers_deleting_with_indexes(ddb, table_name):
    ddb.create_table(
        TableName=table_name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                              for n in ("pk", "sk", "g")],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}],
        LocalSecondaryIndexes=[{"IndexName": "lsi", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "g", "KeyType": "RANGE"}]}],
        TableClass="STANDARD_INFREQUENT_ACCESS")
    d = ddb.delete_table(TableName=table_name)["TableDescription"]
    assert d["TableStatus"] == "DELETING" and d["TableName"] == table_name
    assert [i["IndexName"] for i in d["GlobalSecondaryIndexes"]] == ["gsi"]
    assert [i["IndexName"] for i in d["LocalSecondaryIndexes"]] == ["lsi"]
    assert d["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.describe_table(TableName=table_name)
    assert error_of(e)[0] == "ResourceNotFoundException"


def test_settings_survive_a_restart(workdir, engine):
    srv = new_server(workdir, engine).start()
    key = "arn:aws:kms:us-east-1:000000000000:key/feedface"
    try:
        ok(srv, "CreateTable", create_body(
            "settings", DeletionProtectionEnabled=True, TableClass="STANDARD_INFREQUENT_ACCESS",
            SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key},
            OnDemandThroughput={"MaxReadRequestUnits": 7, "MaxWriteRequestUnits": 8},
            WarmThroughput={"ReadUnitsPerSecond": 20000, "WriteUnitsPerSecond": 9000}))
        before = describe(srv, "settings")
        srv.stop()
        srv.start()
        after = describe(srv, "settings")
        for member in ("DeletionProtectionEnabled", "TableClassSummary", "SSEDescription",
                       "OnDemandThroughput", "WarmThroughput"):
            assert after[member] == before[member], member
        assert refused(srv, "DeleteTable", {"TableName": "settings"}) == (
            "ValidationException", PROTECTED)
    finally:
        srv.stop()


def test_describe_limits(ddb):
    limits = ddb.describe_limits()
    del limits["ResponseMetadata"]
    assert limits == {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                      "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def test_describe_endpoints(ddb, server):
    assert ddb.describe_endpoints()["Endpoints"] == [
        {"Address": f"127.0.0.1:{server.port}", "CachePeriodInMinutes": 1440}]
