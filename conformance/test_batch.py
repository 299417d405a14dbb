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


def puts(n, prefix="k"):
    return [{"PutRequest": {"Item": {"pk": {"S": f"{prefix}{i}"}}}} for i in range(n)]


def keys(n, prefix="k"):
    return [{"pk": {"S": f"{prefix}{i}"}} for i in range(n)]


WRITE_LIST = ("' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
              "constraint: [Member must have length less than or equal to 25, Member must "
              "have length greater than or equal to 1]")


def test_batch_write_limits(ddb, hash_table, range_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={hash_table: puts(26)})
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value '{" + hash_table + "=[...]}"
                           + WRITE_LIST)
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={hash_table: []})
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value '{" + hash_table + "=[]}"
                           + WRITE_LIST)
    # Across tables the total is what counts.
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={
            hash_table: puts(13),
            range_table: [{"PutRequest": {"Item": {"pk": {"S": "r"}, "sk": {"N": str(i)}}}}
                          for i in range(13)]})
    assert error_of(e) == ("ValidationException",
                           "Too many items requested for the BatchWriteItem call")
    # Counted before the table is looked up.
    with pytest.raises(ClientError) as e:
        ddb.batch_write_item(RequestItems={"no_such_table": puts(26)})
    assert error_of(e)[0] == "ValidationException"
    assert ddb.scan(TableName=hash_table)["Count"] == 0


def test_batch_get_limits(ddb, hash_table, range_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": keys(101)}})
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value at 'RequestItems."
                           + hash_table + ".member.Keys' failed to satisfy constraint: "
                           "Member must have length less than or equal to 100")
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": []}})
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value at 'RequestItems."
                           + hash_table + ".member.Keys' failed to satisfy constraint: "
                           "Member must have length greater than or equal to 1")
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={
            hash_table: {"Keys": keys(60)},
            range_table: {"Keys": [{"pk": {"S": "r"}, "sk": {"N": str(i)}} for i in range(60)]}})
    assert error_of(e) == ("ValidationException",
                           "Too many items requested for the BatchGetItem call")
    # Counted, and duplicates found, before the table is looked up.
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": keys(101)}})
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": keys(1) * 2}})
    assert error_of(e) == ("ValidationException", "Provided list of item keys contains duplicates")
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": keys(100)}})
    assert error_of(e) == ("ResourceNotFoundException", "Requested resource not found")


def test_batch_get_answers_16_mb_and_returns_the_rest_unprocessed(ddb, hash_table):
    big = "x" * (390 * 1024)
    for i in range(45):
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": f"b{i}"}, "v": {"S": big}})
    out = ddb.batch_get_item(RequestItems={hash_table: {"Keys": keys(45, "b"),
                                                        "ConsistentRead": True}})
    got = [i["pk"]["S"] for i in out["Responses"][hash_table]]
    left = out["UnprocessedKeys"][hash_table]
    assert left["ConsistentRead"] is True
    assert len(got) + len(left["Keys"]) == 45 and len(left["Keys"]) > 0
    assert sum(len(big) for _ in got) < 16 * 1024 * 1024 + len(big)
    rest = ddb.batch_get_item(RequestItems={hash_table: left})
    got += [i["pk"]["S"] for i in rest["Responses"][hash_table]]
    assert sorted(got) == sorted(f"b{i}" for i in range(45))
    assert rest["UnprocessedKeys"] == {}


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
                           "The provided key element does not match the schema")
    assert ddb.scan(TableName=hash_table)["Count"] == 0


def test_missing_table_in_batch(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_get_item(RequestItems={"no_such_table": {"Keys": [{"pk": {"S": "a"}}]}})
    assert error_of(e) == ("ResourceNotFoundException", "Requested resource not found")
