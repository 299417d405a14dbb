"""Secondary indexes in CreateTable and DescribeTable: DynamoDB's validation
messages, the description of each index, and index maintenance as seen
through the index ItemCount."""
import time

import pytest
from botocore.exceptions import ClientError

INVALID = "One or more parameter values were invalid: "


def key(name, kind):
    return {"AttributeName": name, "KeyType": kind}


def attr(name, typ="S"):
    return {"AttributeName": name, "AttributeType": typ}


def gsi(name, hash_key, range_key=None, projection=None, throughput=None):
    keys = [key(hash_key, "HASH")] + ([key(range_key, "RANGE")] if range_key else [])
    d = {"IndexName": name, "KeySchema": keys,
         "Projection": {"ProjectionType": "ALL"} if projection is None else projection}
    if throughput:
        d["ProvisionedThroughput"] = throughput
    return d


def create_error(ddb, table_name, **kwargs):
    args = dict(TableName=table_name,
                KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                BillingMode="PAY_PER_REQUEST")
    args.update(kwargs)
    with pytest.raises(ClientError) as e:
        ddb.create_table(**args)
    err = e.value.response["Error"]
    assert err["Code"] == "ValidationException"
    return err["Message"]


def test_unused_attribute_definition(ddb, table_name):
    msg = create_error(ddb, table_name,
                       AttributeDefinitions=[attr("pk"), attr("sk"), attr("g"), attr("x")],
                       GlobalSecondaryIndexes=[gsi("byg", "g")])
    assert msg == INVALID + ("Some AttributeDefinitions are not used. "
                             "AttributeDefinitions: [pk, sk, g, x], keys used: [pk, sk, g]")


def test_undefined_index_key(ddb, table_name):
    msg = create_error(ddb, table_name,
                       AttributeDefinitions=[attr("pk"), attr("sk")],
                       GlobalSecondaryIndexes=[gsi("byg", "g", "sk")])
    assert msg == INVALID + ("Some index key attributes are not defined in "
                             "AttributeDefinitions. Keys: [g, sk], "
                             "AttributeDefinitions: [pk, sk]")


def test_duplicate_index_name(ddb, table_name):
    msg = create_error(ddb, table_name,
                       AttributeDefinitions=[attr("pk"), attr("sk"), attr("g")],
                       GlobalSecondaryIndexes=[gsi("idx", "g")],
                       LocalSecondaryIndexes=[gsi("idx", "pk", "g")])
    assert msg == INVALID + "Duplicate index name: idx"


def test_lsi_needs_table_range_key(ddb, table_name):
    msg = create_error(ddb, table_name, KeySchema=[key("pk", "HASH")],
                       AttributeDefinitions=[attr("pk"), attr("g")],
                       LocalSecondaryIndexes=[gsi("byg", "pk", "g")])
    assert msg == INVALID + ("Table KeySchema does not have a range key, which is required "
                             "when specifying a LocalSecondaryIndex")


def test_lsi_same_hash_key(ddb, table_name):
    msg = create_error(ddb, table_name,
                       AttributeDefinitions=[attr("pk"), attr("sk"), attr("g")],
                       LocalSecondaryIndexes=[gsi("byg", "g", "sk")])
    assert msg == INVALID + ("Index KeySchema does not have the same leading hash key as "
                             "table KeySchema for index: byg. index hash key: g, "
                             "table hash key: pk")


def test_lsi_needs_range_key(ddb, table_name):
    msg = create_error(ddb, table_name,
                       AttributeDefinitions=[attr("pk"), attr("sk")],
                       LocalSecondaryIndexes=[gsi("lsi", "pk")])
    assert msg == INVALID + "Index KeySchema does not have a range key for index: lsi"


def test_projection_rules(ddb, table_name):
    defs = [attr("pk"), attr("sk"), attr("g")]
    msg = create_error(ddb, table_name, AttributeDefinitions=defs,
                       GlobalSecondaryIndexes=[gsi("byg", "g", projection={
                           "ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]})])
    assert msg == INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"
    msg = create_error(ddb, table_name, AttributeDefinitions=defs,
                       GlobalSecondaryIndexes=[gsi("byg", "g", projection={})])
    assert msg == INVALID + "Unknown ProjectionType: null"
    msg = create_error(ddb, table_name, AttributeDefinitions=defs,
                       GlobalSecondaryIndexes=[gsi("byg", "g", projection={
                           "ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b", "a"]})])
    assert msg == "Cannot have two attributes with the same name"


def test_index_key_order(ddb, table_name):
    defs = [attr("pk"), attr("sk"), attr("g")]
    bad = {"IndexName": "byg", "KeySchema": [key("g", "RANGE"), key("sk", "HASH")],
           "Projection": {"ProjectionType": "ALL"}}
    msg = create_error(ddb, table_name, AttributeDefinitions=defs,
                       GlobalSecondaryIndexes=[bad])
    assert msg == "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"


def test_gsi_throughput_follows_billing_mode(ddb, table_name):
    defs = [attr("pk"), attr("sk"), attr("g")]
    tp = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    msg = create_error(ddb, table_name, AttributeDefinitions=defs, BillingMode="PROVISIONED",
                       ProvisionedThroughput=tp, GlobalSecondaryIndexes=[gsi("byg", "g")])
    assert msg == INVALID + "ProvisionedThroughput is not specified for index: byg"
    msg = create_error(ddb, table_name, AttributeDefinitions=defs,
                       GlobalSecondaryIndexes=[gsi("byg", "g", throughput=tp)])
    assert msg == INVALID + ("ProvisionedThroughput should not be specified for index: byg "
                             "when BillingMode is PAY_PER_REQUEST")


def test_too_many_lsis(ddb, table_name):
    defs = [attr("pk"), attr("sk")] + [attr(f"l{i}") for i in range(6)]
    msg = create_error(ddb, table_name, AttributeDefinitions=defs,
                       LocalSecondaryIndexes=[gsi(f"lsi{i}", "pk", f"l{i}") for i in range(6)])
    assert msg == INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"


def test_index_name_constraint(ddb, table_name):
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=table_name, KeySchema=[key("pk", "HASH")],
                         AttributeDefinitions=[attr("pk"), attr("g")],
                         BillingMode="PAY_PER_REQUEST",
                         GlobalSecondaryIndexes=[gsi("ab", "g")])
    assert e.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'ab' at "
        "'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3")
    # An empty name breaks both rules, the length reported first (docs/validation-messages.md).
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=table_name, KeySchema=[key("pk", "HASH")],
                         AttributeDefinitions=[attr("pk"), attr("g")],
                         BillingMode="PAY_PER_REQUEST",
                         GlobalSecondaryIndexes=[gsi("", "g")])
    path = "'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
    assert e.value.response["Error"]["Message"] == (
        "2 validation errors detected: Value '' at " + path +
        "Member must have length greater than or equal to 3; Value '' at " + path +
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")


@pytest.fixture
def indexed_table(ddb, table_name):
    ddb.create_table(
        TableName=table_name,
        KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
        AttributeDefinitions=[attr("pk"), attr("sk", "N"), attr("g"), attr("l", "N")],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6},
        LocalSecondaryIndexes=[gsi("byl", "pk", "l", projection={"ProjectionType": "KEYS_ONLY"})],
        GlobalSecondaryIndexes=[gsi("byg", "g", "sk", throughput={
            "ReadCapacityUnits": 3, "WriteCapacityUnits": 4},
            projection={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]})])
    yield table_name
    ddb.delete_table(TableName=table_name)


def test_describe_indexes(ddb, indexed_table):
    t = ddb.describe_table(TableName=indexed_table)["Table"]
    arn = t["TableArn"]
    [lsi] = t["LocalSecondaryIndexes"]
    assert lsi["IndexName"] == "byl"
    assert lsi["KeySchema"] == [key("pk", "HASH"), key("l", "RANGE")]
    assert lsi["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert lsi["IndexArn"] == arn + "/index/byl"
    assert "IndexStatus" not in lsi
    [g] = t["GlobalSecondaryIndexes"]
    assert g["IndexName"] == "byg"
    assert g["KeySchema"] == [key("g", "HASH"), key("sk", "RANGE")]
    assert g["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]}
    assert g["IndexStatus"] == "ACTIVE"
    assert "Backfilling" not in g
    assert g["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert g["ProvisionedThroughput"]["WriteCapacityUnits"] == 4
    assert g["IndexArn"] == arn + "/index/byg"
    assert g["ItemCount"] == 0


def index_counts(ddb, table):
    t = ddb.describe_table(TableName=table)["Table"]
    return {i["IndexName"]: i["ItemCount"]
            for i in t.get("GlobalSecondaryIndexes", []) + t.get("LocalSecondaryIndexes", [])}


def wait_counts(ddb, table, expected, deadline=20):
    """Polls DescribeTable (whose counts may lag by the stats cache age)."""
    end = time.time() + deadline
    while True:
        counts = index_counts(ddb, table)
        if counts == expected or time.time() > end:
            return counts
        time.sleep(0.5)


def test_sparse_index_maintenance(ddb, indexed_table):
    put = lambda item: ddb.put_item(TableName=indexed_table, Item=item)
    put({"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}, "l": {"N": "1"}})
    put({"pk": {"S": "a"}, "sk": {"N": "2"}, "g": {"S": "y"}})
    put({"pk": {"S": "a"}, "sk": {"N": "3"}, "l": {"N": "3"}})
    put({"pk": {"S": "a"}, "sk": {"N": "5"}})
    # Moves the item out of byg and into byl; deletes one with both.
    ddb.update_item(TableName=indexed_table, Key={"pk": {"S": "a"}, "sk": {"N": "2"}},
                    UpdateExpression="REMOVE g SET l = :l",
                    ExpressionAttributeValues={":l": {"N": "2"}})
    ddb.delete_item(TableName=indexed_table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert wait_counts(ddb, indexed_table, {"byg": 0, "byl": 2}) == {"byg": 0, "byl": 2}


def test_at_most_20_non_key_attributes_per_index(ddb, table_name):
    names = [f"a{i}" for i in range(21)]
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=table_name, KeySchema=[key("pk", "HASH")],
                         AttributeDefinitions=[attr("pk"), attr("g")],
                         BillingMode="PAY_PER_REQUEST",
                         GlobalSecondaryIndexes=[gsi("byg", "g", projection={
                             "ProjectionType": "INCLUDE", "NonKeyAttributes": names})])
    assert e.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '[" + ", ".join(names) + "]' at "
        "'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy "
        "constraint: Member must have length less than or equal to 20")


def test_at_most_100_non_key_attributes_over_all_indexes(ddb, table_name):
    # Six indexes of 20: 120 names, a name in two indexes counting twice.
    # The text is quoted from a third party (docs/validation-messages.md).
    names = [f"a{i}" for i in range(20)]
    include = {"ProjectionType": "INCLUDE", "NonKeyAttributes": names}
    indexes = [gsi(f"gsi{i}", "g", projection=include) for i in range(6)]
    msg = create_error(ddb, table_name, AttributeDefinitions=[attr("pk"), attr("sk"), attr("g")],
                       GlobalSecondaryIndexes=indexes)
    assert msg == INVALID + "Number of projected attributes in all indexes exceeds limit of 100"
    # Exactly 100 is allowed; a further index through UpdateTable is not.
    ddb.create_table(TableName=table_name, KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
                     AttributeDefinitions=[attr("pk"), attr("sk"), attr("g")],
                     BillingMode="PAY_PER_REQUEST", GlobalSecondaryIndexes=indexes[:5])
    try:
        with pytest.raises(ClientError) as e:
            ddb.update_table(TableName=table_name, AttributeDefinitions=[attr("g")],
                             GlobalSecondaryIndexUpdates=[{"Create": gsi(
                                 "gsi5", "g", projection={"ProjectionType": "INCLUDE",
                                                        "NonKeyAttributes": ["x"]})}])
        assert e.value.response["Error"]["Message"] == (
            INVALID + "Number of projected attributes in all indexes exceeds limit of 100")
    finally:
        ddb.delete_table(TableName=table_name)


def test_index_size_bytes(ddb, table_name):
    ddb.create_table(
        TableName=table_name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[key("pk", "HASH"), key("sk", "RANGE")],
        AttributeDefinitions=[attr("pk"), attr("sk", "N"), attr("g"), attr("l", "N")],
        LocalSecondaryIndexes=[gsi("byl", "pk", "l", projection={"ProjectionType": "KEYS_ONLY"})],
        GlobalSecondaryIndexes=[gsi("byg", "g")])
    try:
        for i in range(3):
            ddb.put_item(TableName=table_name, Item={
                "pk": {"S": "p"}, "sk": {"N": str(i)}, "g": {"S": "x"}, "l": {"N": str(i)},
                "payload": {"S": "y" * 100}})

        def sizes():
            t = ddb.describe_table(TableName=table_name)["Table"]
            return (t["TableSizeBytes"], t["GlobalSecondaryIndexes"][0]["IndexSizeBytes"],
                    t["LocalSecondaryIndexes"][0]["IndexSizeBytes"])

        end = time.time() + 20
        while sizes()[0] == 0 and time.time() < end:
            time.sleep(0.5)
        table, all_projected, keys_only = sizes()
        # An ALL index holds every item whole; a KEYS_ONLY one only the keys.
        assert all_projected == table > 300
        assert 0 < keys_only < table - 300
    finally:
        ddb.delete_table(TableName=table_name)
