"""CreateTable, DescribeTable, ListTables, DeleteTable as DynamoDB answers them."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
DEFS = [{"AttributeName": "pk", "AttributeType": "S"}]


def test_create_describe_delete(ddb, table_name, engine):
    created = ddb.create_table(TableName=table_name, KeySchema=KEY, AttributeDefinitions=DEFS,
                               BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert created["TableName"] == table_name
    assert created["TableStatus"] == "CREATING"
    assert created["KeySchema"] == KEY
    assert created["AttributeDefinitions"] == DEFS
    assert created["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{table_name}"
    assert created["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    ddb.get_waiter("table_exists").wait(TableName=table_name,
                                        WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    desc = ddb.describe_table(TableName=table_name)["Table"]
    assert desc["TableStatus"] == "ACTIVE"
    assert desc["ItemCount"] == 0
    assert desc["TableSizeBytes"] == 0
    assert desc["TableId"] == created["TableId"]
    assert len(desc["TableId"]) == 36
    assert desc["CreationDateTime"] == created["CreationDateTime"]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert table_name in ddb.list_tables()["TableNames"]

    deleted = ddb.delete_table(TableName=table_name)["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    assert table_name not in ddb.list_tables()["TableNames"]
    with pytest.raises(ClientError) as e:
        ddb.describe_table(TableName=table_name)
    assert error_of(e) == ("ResourceNotFoundException",
                           f"Requested resource not found: Table: {table_name} not found")


def test_provisioned_throughput_kept(ddb, range_table):
    desc = ddb.describe_table(TableName=range_table)["Table"]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert desc["ProvisionedThroughput"]["WriteCapacityUnits"] == 5
    assert desc["KeySchema"][1] == {"AttributeName": "sk", "KeyType": "RANGE"}


def test_create_existing_table_is_in_use(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=hash_table, KeySchema=KEY, AttributeDefinitions=DEFS,
                         BillingMode="PAY_PER_REQUEST")
    assert error_of(e) == ("ResourceInUseException", f"Table already exists: {hash_table}")


def test_delete_missing_table(ddb, table_name):
    with pytest.raises(ClientError) as e:
        ddb.delete_table(TableName=table_name)
    assert error_of(e) == ("ResourceNotFoundException",
                           f"Requested resource not found: Table: {table_name} not found")


def test_list_tables_pages(ddb):
    names = sorted(f"page_{i:02d}_x" for i in range(5))
    for n in names:
        ddb.create_table(TableName=n, KeySchema=KEY, AttributeDefinitions=DEFS,
                         BillingMode="PAY_PER_REQUEST")
    try:
        seen = []
        kwargs = {"Limit": 2, "ExclusiveStartTableName": "page_"}
        while True:
            page = ddb.list_tables(**kwargs)
            assert len(page["TableNames"]) <= 2
            seen += [n for n in page["TableNames"] if n.startswith("page_")]
            if "LastEvaluatedTableName" not in page or not page["TableNames"][-1].startswith("page_"):
                break
            kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]
        assert seen == names
    finally:
        for n in names:
            ddb.delete_table(TableName=n)


def test_list_tables_start_name_validation_in_dynamodb_order(ddb):
    with pytest.raises(ClientError) as e:
        ddb.list_tables(ExclusiveStartTableName="a;", Limit=500)
    assert error_of(e) == (
        "ValidationException",
        "3 validation errors detected: "
        "Value '500' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 100; "
        "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3")
    with pytest.raises(ClientError) as e:
        ddb.list_tables(ExclusiveStartTableName="")
    assert error_of(e)[1] == (
        "2 validation errors detected: "
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3")


def test_list_tables_limit_validation(ddb):
    with pytest.raises(ClientError) as e:
        ddb.list_tables(Limit=101)
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 100")


@pytest.mark.parametrize("kwargs,message", [
    (dict(TableName="ab", KeySchema=KEY, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST"),
     "TableName must be at least 3 characters long and at most 255 characters long"),
    (dict(TableName="abc;", KeySchema=KEY, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST"),
     "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
     "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    (dict(TableName="abc", KeySchema=KEY, AttributeDefinitions=DEFS),
     "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
     "must both be specified when BillingMode is PROVISIONED"),
    (dict(TableName="abc", KeySchema=KEY, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST",
          ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
     "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
     "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"),
    (dict(TableName="abc", KeySchema=KEY, BillingMode="PAY_PER_REQUEST",
          AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}]),
     "One or more parameter values were invalid: Some index key attributes are not defined "
     "in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [x]"),
    (dict(TableName="abc", BillingMode="PAY_PER_REQUEST",
          KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}], AttributeDefinitions=DEFS),
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (dict(TableName="abc", KeySchema=KEY, BillingMode="PAY_PER_REQUEST",
          AttributeDefinitions=DEFS + [{"AttributeName": "x", "AttributeType": "S"}]),
     "One or more parameter values were invalid: Number of attributes in KeySchema does not "
     "exactly match number of attributes defined in AttributeDefinitions"),
    (dict(TableName="abc", BillingMode="PAY_PER_REQUEST",
          KeySchema=KEY + [{"AttributeName": "pk", "KeyType": "RANGE"}],
          AttributeDefinitions=DEFS + [{"AttributeName": "x", "AttributeType": "S"}]),
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    (dict(TableName="abc", KeySchema=KEY, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=[]),
     "Invalid KeySchema: Some index key attribute have no definition"),
    (dict(TableName="abc", BillingMode="PAY_PER_REQUEST",
          KeySchema=KEY + [{"AttributeName": "sk", "KeyType": "RANGE"}],
          AttributeDefinitions=DEFS + [{"AttributeName": "x", "AttributeType": "S"}]),
     "One or more parameter values were invalid: Some index key attributes are not defined "
     "in AttributeDefinitions. Keys: [pk, sk], AttributeDefinitions: [pk, x]"),
    (dict(TableName="abc", BillingMode="PAY_PER_REQUEST",
          KeySchema=[{"AttributeName": "", "KeyType": "HASH"}],
          AttributeDefinitions=[{"AttributeName": "", "AttributeType": "S"}]),
     "2 validation errors detected: "
     "Value '' at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: "
     "Member must have length greater than or equal to 1; "
     "Value '' at 'keySchema.1.member.attributeName' failed to satisfy constraint: "
     "Member must have length greater than or equal to 1"),
    (dict(TableName="abc", BillingMode="PAY_PER_REQUEST",
          KeySchema=[{"AttributeName": "a" * 256, "KeyType": "HASH"}],
          AttributeDefinitions=[{"AttributeName": "a" * 256, "AttributeType": "S"}]),
     "2 validation errors detected: "
     f"Value '{'a' * 256}' at 'attributeDefinitions.1.member.attributeName' failed to satisfy "
     "constraint: Member must have length less than or equal to 255; "
     f"Value '{'a' * 256}' at 'keySchema.1.member.attributeName' failed to satisfy "
     "constraint: Member must have length less than or equal to 255"),
    (dict(TableName="abc", KeySchema=KEY, BillingMode="PAY_PER_REQUEST",
          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "SS"}]),
     "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' "
     "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"),
])
def test_create_table_validation(ddb, kwargs, message):
    with pytest.raises(ClientError) as e:
        ddb.create_table(**kwargs)
    assert error_of(e) == ("ValidationException", message)
    assert "abc" not in ddb.list_tables()["TableNames"]


def test_key_attribute_names_of_255_characters_are_accepted(ddb, table_name):
    name = "k" * 255
    ddb.create_table(TableName=table_name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": name, "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}])
    ddb.put_item(TableName=table_name, Item={name: {"S": "v"}})
    assert ddb.get_item(TableName=table_name, Key={name: {"S": "v"}})["Item"] == {name: {"S": "v"}}
    ddb.delete_table(TableName=table_name)
