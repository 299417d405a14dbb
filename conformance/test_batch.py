"""BatchGetItem and BatchWriteItem."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of


def test_batch_write_then_get_across_tables(ddb, hash_table, range_table):
    ddb.batch_write_item(RequestItems={
        hash_table: [{"PutRequest": {"Item": {"pk": {"S": f"h{i}"}, "n": {"N": str(i)}}}}
                     for i in range(10)],
        range_table: [{"PutRequest": {"Item": {"pk": {"S": "r"}, "sk": {"N": str(i)}}}}
                      for i in range(5)],
    })
    out = ddb.batch_get_item(RequestItems={
        hash_table: {"Keys": [{"pk": {"S": f"h{i}"}} for i in range(12)],
                     "ProjectionExpression": "n"},
        range_table: {"Keys": [{"pk": {"S": "r"}, "sk": {"N": "3"}}]},
    })
    assert sorted(int(i["n"]["N"]) for i in out["Responses"][hash_table]) == list(range(10))
    assert out["Responses"][range_table] == [{"pk": {"S": "r"}, "sk": {"N": "3"}}]
    assert out["UnprocessedKeys"] == {}

    res = ddb.batch_write_item(RequestItems={
        hash_table: [{"DeleteRequest": {"Key": {"pk": {"S": f"h{i}"}}}} for i in range(5)]})
    assert res["UnprocessedItems"] == {}
    left = ddb.scan(TableName=hash_table)["Count"]
    assert left == 5


def test_batch_limits(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={hash_table: [
            {"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(26)]})
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": [{"pk": {"S": f"k{i}"}} for i in range(101)]}})
    assert error_of(e) == ("ValidationException", "Too many items requested for the BatchGetItem call")
    assert ddb.scan(TableName=hash_table)["Count"] == 0


def test_duplicate_keys_rejected_and_nothing_written(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={hash_table: [
            {"PutRequest": {"Item": {"pk": {"S": "a"}}}},
            {"DeleteRequest": {"Key": {"pk": {"S": "a"}}}}]})
    assert error_of(e) == ("ValidationException", "Provided list of item keys contains duplicates")
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}})
    assert error_of(e) == ("ValidationException", "Provided list of item keys contains duplicates")
    assert ddb.scan(TableName=hash_table)["Count"] == 0


def test_bad_item_in_batch_writes_nothing(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={hash_table: [
            {"PutRequest": {"Item": {"pk": {"S": "ok"}}}},
            {"PutRequest": {"Item": {"wrong": {"S": "x"}}}}]})
    assert error_of(e) == ("ValidationException",
                           "One or more parameter values were invalid: Missing the key pk in the item")
    assert ddb.scan(TableName=hash_table)["Count"] == 0


def test_missing_table_in_batch(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [{"pk": {"S": "a"}}]}})
    assert error_of(e) == ("ResourceNotFoundException", "Requested resource not found")
