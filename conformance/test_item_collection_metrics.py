"""ReturnItemCollectionMetrics SIZE: every write to a table with a local
secondary index answers ItemCollectionMetrics, the written item's partition
key value and a two-element SizeEstimateRangeGB (DynamoDB's documentation
shows [0.0, 1.0] for a small collection); a table without one gets none.
PutItem, UpdateItem and DeleteItem answer one object; BatchWriteItem and
TransactWriteItems a list per table."""
import botocore.exceptions
import pytest

from conftest import create_hash_table, error_of

SMALL = {"ItemCollectionKey": {"pk": {"S": "p"}}, "SizeEstimateRangeGB": [0.0, 1.0]}


@pytest.fixture
def lsi_table(ddb, table_name):
    name = table_name + "_lsi"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t}
                              for n, t in (("pk", "S"), ("sk", "N"), ("l", "N"))],
        BillingMode="PAY_PER_REQUEST",
        LocalSecondaryIndexes=[{"IndexName": "byl",
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture
def plain_table(ddb, table_name):
    name = table_name + "_plain"
    create_hash_table(ddb, name)
    yield name
    ddb.delete_table(TableName=name)


def key(sk, pk="p"):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_single_item_writes_answer_their_collection(ddb, lsi_table):
    out = ddb.put_item(TableName=lsi_table, Item={**key(1), "l": {"N": "5"}},
                       ReturnItemCollectionMetrics="SIZE")
    assert out["ItemCollectionMetrics"] == SMALL
    out = ddb.update_item(TableName=lsi_table, Key=key(1), UpdateExpression="SET l = :l",
                          ExpressionAttributeValues={":l": {"N": "6"}},
                          ReturnItemCollectionMetrics="SIZE")
    assert out["ItemCollectionMetrics"] == SMALL
    out = ddb.delete_item(TableName=lsi_table, Key=key(1), ReturnItemCollectionMetrics="SIZE")
    assert out["ItemCollectionMetrics"] == SMALL


def test_none_and_absent_answer_no_metrics(ddb, lsi_table):
    out = ddb.put_item(TableName=lsi_table, Item=key(1), ReturnItemCollectionMetrics="NONE")
    assert "ItemCollectionMetrics" not in out
    out = ddb.put_item(TableName=lsi_table, Item=key(2))
    assert "ItemCollectionMetrics" not in out


def test_a_table_without_local_indexes_answers_no_metrics(ddb, plain_table):
    out = ddb.put_item(TableName=plain_table, Item={"pk": {"S": "p"}},
                       ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in out
    out = ddb.batch_write_item(RequestItems={plain_table: [
        {"PutRequest": {"Item": {"pk": {"S": "q"}}}}]}, ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in out


def test_batch_write_lists_each_collection_of_each_table(ddb, lsi_table, plain_table):
    out = ddb.batch_write_item(RequestItems={
        lsi_table: [{"PutRequest": {"Item": key(1)}},
                    {"PutRequest": {"Item": key(2)}},
                    {"PutRequest": {"Item": key(1, pk="other")}},
                    {"DeleteRequest": {"Key": key(3)}}],
        plain_table: [{"PutRequest": {"Item": {"pk": {"S": "p"}}}}]},
        ReturnItemCollectionMetrics="SIZE")
    metrics = out["ItemCollectionMetrics"]
    assert list(metrics) == [lsi_table]
    assert sorted(m["ItemCollectionKey"]["pk"]["S"] for m in metrics[lsi_table]) == [
        "other", "p"]
    assert all(m["SizeEstimateRangeGB"] == [0.0, 1.0] for m in metrics[lsi_table])


def test_transact_write_lists_the_collections_it_wrote(ddb, lsi_table, plain_table):
    out = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": lsi_table, "Item": {**key(1), "l": {"N": "1"}}}},
        {"Update": {"TableName": lsi_table, "Key": key(2, pk="u"),
                    "UpdateExpression": "SET l = :l",
                    "ExpressionAttributeValues": {":l": {"N": "2"}}}},
        {"ConditionCheck": {"TableName": lsi_table, "Key": key(9, pk="checked"),
                            "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": plain_table, "Item": {"pk": {"S": "p"}}}},
    ], ReturnItemCollectionMetrics="SIZE")
    metrics = out["ItemCollectionMetrics"]
    assert list(metrics) == [lsi_table]
    assert sorted(m["ItemCollectionKey"]["pk"]["S"] for m in metrics[lsi_table]) == [
        "p", "u"]


def test_an_unknown_value_is_refused(ddb, lsi_table):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.put_item(TableName=lsi_table, Item=key(1), ReturnItemCollectionMetrics="ALL")
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value 'ALL' at 'returnItemCollectionMetrics' failed "
        "to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]")
