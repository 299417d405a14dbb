"""UpdateTable: creating a GSI on a live table (backfill while writes go
on), deleting one, and DynamoDB's validation of GlobalSecondaryIndexUpdates."""
import threading
import time

import pytest
from botocore.exceptions import ClientError

INVALID = "One or more parameter values were invalid: "


def attr(name, typ="S"):
    return {"AttributeName": name, "AttributeType": typ}


def create_gsi(name, hash_key, throughput=None):
    c = {"IndexName": name, "KeySchema": [{"AttributeName": hash_key, "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}}
    if throughput:
        c["ProvisionedThroughput"] = throughput
    return {"Create": c}


def describe(ddb, table):
    return ddb.describe_table(TableName=table)["Table"]


def gsis(ddb, table):
    return {g["IndexName"]: g for g in describe(ddb, table).get("GlobalSecondaryIndexes", [])}


def wait_for(predicate, deadline=60, step=0.2):
    end = time.time() + deadline
    while not predicate():
        if time.time() > end:
            return False
        time.sleep(step)
    return True


def error(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def test_nothing_to_update(ddb, hash_table):
    assert error(ddb.update_table, TableName=hash_table) == (
        "ValidationException",
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
        "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
        "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is "
        "required")


def test_missing_table(ddb, table_name):
    code, _ = error(ddb.update_table, TableName=table_name, BillingMode="PAY_PER_REQUEST")
    assert code == "ResourceNotFoundException"


def test_index_update_rules(ddb, hash_table):
    defs = [attr("pk"), attr("g")]
    assert error(ddb.update_table, TableName=hash_table, AttributeDefinitions=defs,
                 GlobalSecondaryIndexUpdates=[create_gsi("gs1", "g"), create_gsi("gs2", "g")]) == (
        "LimitExceededException",
        "Subscriber limit exceeded: Only 1 online index can be created or deleted "
        "simultaneously per table")
    assert error(ddb.update_table, TableName=hash_table, AttributeDefinitions=defs,
                 GlobalSecondaryIndexUpdates=[{}]) == (
        "ValidationException",
        INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
        "GlobalSecondaryIndexUpdate.Delete must not be null")
    both = dict(create_gsi("gs1", "g"), Delete={"IndexName": "gs1"})
    assert error(ddb.update_table, TableName=hash_table, AttributeDefinitions=defs,
                 GlobalSecondaryIndexUpdates=[both]) == (
        "ValidationException",
        INVALID + "Only one global secondary index action is allowed per "
        "GlobalSecondaryIndexUpdate object")
    assert error(ddb.update_table, TableName=hash_table, AttributeDefinitions=[attr("pk")],
                 GlobalSecondaryIndexUpdates=[create_gsi("gs1", "g")]) == (
        "ValidationException",
        INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
        "Keys: [g], AttributeDefinitions: [pk]")
    code, _ = error(ddb.update_table, TableName=hash_table,
                    GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}])
    assert code == "ResourceNotFoundException"
    assert error(ddb.update_table, TableName=hash_table, AttributeDefinitions=defs,
                 GlobalSecondaryIndexUpdates=[create_gsi("gs1", "g", {
                     "ReadCapacityUnits": 1, "WriteCapacityUnits": 1})]) == (
        "ValidationException",
        INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
        "index: gs1 when BillingMode is PAY_PER_REQUEST")
    assert "GlobalSecondaryIndexes" not in describe(ddb, hash_table)


def test_provisioned_create_needs_throughput(ddb, table_name):
    ddb.create_table(TableName=table_name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[attr("pk")],
                     ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    try:
        assert error(ddb.update_table, TableName=table_name,
                     AttributeDefinitions=[attr("pk"), attr("g")],
                     GlobalSecondaryIndexUpdates=[create_gsi("gs1", "g")]) == (
            "ValidationException",
            INVALID + "ProvisionedThroughput must be specified for index: gs1")
        ddb.update_table(TableName=table_name,
                         ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8})
        t = describe(ddb, table_name)
        assert t["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
        assert t["ProvisionedThroughput"]["WriteCapacityUnits"] == 8
        ddb.update_table(TableName=table_name, BillingMode="PAY_PER_REQUEST")
        assert describe(ddb, table_name)["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    finally:
        ddb.delete_table(TableName=table_name)


def item(i, with_g):
    it = {"pk": {"S": f"k{i}"}, "n": {"N": str(i)}}
    if with_g:
        it["g"] = {"S": f"g{i % 7}"}
    return it


def test_backfill_while_writing_then_delete(ddb, hash_table):
    # Items before the index exists: every third lacks the index key.
    for i in range(300):
        ddb.put_item(TableName=hash_table, Item=item(i, i % 3 != 0))
    stop = threading.Event()
    written = {}  # key -> has g, as last written by the writer
    failures = []

    def writer():
        i = 0
        try:
            while not stop.is_set():
                k = i % 400
                if i % 5 == 4:
                    ddb.delete_item(TableName=hash_table, Key={"pk": {"S": f"k{k}"}})
                    written[k] = None
                else:
                    with_g = (i // 400) % 2 == 0
                    ddb.put_item(TableName=hash_table, Item=item(k, with_g))
                    written[k] = with_g
                i += 1
        except Exception as e:  # surfaced by the assertion below
            failures.append(e)

    t = threading.Thread(target=writer)
    t.start()
    try:
        answer = ddb.update_table(TableName=hash_table,
                                  AttributeDefinitions=[attr("pk"), attr("g")],
                                  GlobalSecondaryIndexUpdates=[create_gsi("byg", "g")])
        [g] = answer["TableDescription"]["GlobalSecondaryIndexes"]
        assert g["IndexStatus"] == "CREATING"
        assert g["Backfilling"] is True
        assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["IndexStatus"] == "ACTIVE")
        time.sleep(0.3)  # let the writer overlap the finished index too
    finally:
        stop.set()
        t.join()
    assert not failures
    assert "Backfilling" not in gsis(ddb, hash_table)["byg"]
    # The index must hold exactly the base items that have `g`.
    expected = 0
    for i in range(400):
        got = ddb.get_item(TableName=hash_table, Key={"pk": {"S": f"k{i}"}}).get("Item")
        expected += 1 if got and "g" in got else 0
    assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["ItemCount"] == expected, 20), \
        (gsis(ddb, hash_table)["byg"]["ItemCount"], expected)
    assert describe(ddb, hash_table)["AttributeDefinitions"] == [attr("pk"), attr("g")]

    answer = ddb.update_table(TableName=hash_table,
                              GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byg"}}])
    [g] = answer["TableDescription"]["GlobalSecondaryIndexes"]
    assert g["IndexStatus"] == "DELETING"
    assert wait_for(lambda: "byg" not in gsis(ddb, hash_table))
    assert describe(ddb, hash_table)["AttributeDefinitions"] == [attr("pk")]
    # Writes after the delete keep working and a new index of the same name
    # starts from the items as they are now.
    ddb.put_item(TableName=hash_table, Item=item(1000, True))
    ddb.update_table(TableName=hash_table, AttributeDefinitions=[attr("pk"), attr("g")],
                     GlobalSecondaryIndexUpdates=[create_gsi("byg", "g")])
    assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["IndexStatus"] == "ACTIVE")
    assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["ItemCount"] == expected + 1, 20)


def test_backfill_leaves_out_empty_index_keys(ddb, hash_table):
    # Stored before the index existed, so no write refused the empty value.
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "empty"}, "g": {"S": ""}})
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "full"}, "g": {"S": "x"}})
    ddb.update_table(TableName=hash_table, AttributeDefinitions=[attr("pk"), attr("g")],
                     GlobalSecondaryIndexUpdates=[create_gsi("byg", "g")])
    assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["IndexStatus"] == "ACTIVE")
    scanned = ddb.scan(TableName=hash_table, IndexName="byg")["Items"]
    assert [i["pk"]["S"] for i in scanned] == ["full"]


def test_backfill_leaves_out_index_keys_over_the_size_limit(ddb, hash_table):
    # Stored before the index existed, so no write refused them; one is past
    # what the key codec's 2-byte length holds. The server must go on serving
    # and the index must become ACTIVE without them, as DynamoDB's backfill
    # leaves out items whose index key is invalid.
    for pk, g in (("huge", "h" * 70000), ("long", "l" * 2049), ("max", "m" * 2048),
                  ("short", "s")):
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "g": {"S": g}})
    ddb.update_table(TableName=hash_table, AttributeDefinitions=[attr("pk"), attr("g")],
                     GlobalSecondaryIndexUpdates=[create_gsi("byg", "g")])
    assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["IndexStatus"] == "ACTIVE")
    scanned = ddb.scan(TableName=hash_table, IndexName="byg")["Items"]
    assert sorted(i["pk"]["S"] for i in scanned) == ["max", "short"]
    # The items themselves stay, and a write that keeps the long key is refused.
    assert ddb.scan(TableName=hash_table, Select="COUNT")["Count"] == 4
    with pytest.raises(ClientError) as e:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": "long"}, "g": {"S": "l" * 2049}})
    assert e.value.response["Error"]["Message"] == (
        INVALID + "Size limit exceeded for Index Key g Actual Size: 2049 bytes "
        "Max Size: 2048 bytes IndexName: byg")


REDEFINED = (INVALID + "Attributes cannot be redefined. Please check that your attribute has "
             "the same type as previously defined. ")


def test_index_key_cannot_redefine_an_attribute_type(ddb, table_name):
    ddb.create_table(TableName=table_name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[attr("pk"), attr("xyz")],
                     GlobalSecondaryIndexes=[{
                         "IndexName": "index1",
                         "KeySchema": [{"AttributeName": "xyz", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "ALL"}}])
    try:
        for name, typ in (("xyz", "N"), ("pk", "B")):
            assert error(ddb.update_table, TableName=table_name,
                         AttributeDefinitions=[attr(name, typ)],
                         GlobalSecondaryIndexUpdates=[create_gsi("index2", name)]) == (
                "ValidationException",
                REDEFINED + f"Existing schema: Schema:[SchemaElement: key{{{name}:S:HASH}}] "
                f"New schema: Schema:[SchemaElement: key{{{name}:{typ}:HASH}}]")
        assert list(gsis(ddb, table_name)) == ["index1"]
        # The same type again is fine.
        ddb.update_table(TableName=table_name, AttributeDefinitions=[attr("xyz")],
                         GlobalSecondaryIndexUpdates=[create_gsi("index2", "xyz")])
        assert wait_for(lambda: gsis(ddb, table_name)["index2"]["IndexStatus"] == "ACTIVE")
    finally:
        ddb.delete_table(TableName=table_name)


def test_reads_of_a_backfilling_index_are_refused(ddb, hash_table):
    # Enough items that the backfill, which writes each entry as a write
    # writes its item, is still walking when the reads come: at least half
    # a second's worth of writes on this engine.
    n, began = 0, time.time()
    while n < 3000 and (n < 250 or time.time() - began < 0.5):
        ddb.batch_write_item(RequestItems={hash_table: [
            {"PutRequest": {"Item": item(i, True)}} for i in range(n, n + 25)]})
        n += 25
    ddb.update_table(TableName=hash_table, AttributeDefinitions=[attr("pk"), attr("g")],
                     GlobalSecondaryIndexUpdates=[create_gsi("byg", "g")])
    message = "Cannot read from backfilling global secondary index: byg"
    assert error(ddb.query, TableName=hash_table, IndexName="byg",
                 KeyConditionExpression="g = :g",
                 ExpressionAttributeValues={":g": {"S": "g1"}}) == ("ValidationException", message)
    assert error(ddb.scan, TableName=hash_table, IndexName="byg") == ("ValidationException", message)
    assert gsis(ddb, hash_table)["byg"]["IndexStatus"] == "CREATING"
    assert wait_for(lambda: gsis(ddb, hash_table)["byg"]["IndexStatus"] == "ACTIVE")
    assert ddb.scan(TableName=hash_table, IndexName="byg", Select="COUNT")["Count"] == n
