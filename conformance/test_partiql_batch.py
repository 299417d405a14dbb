"""PartiQL's BatchExecuteStatement and ExecuteTransaction: per-statement
errors of a batch, transactions all or nothing, read-only transactions.
docs/partiql.md gives the source of every text."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of


def stmt(text, *params, **options):
    out = {"Statement": text, **options}
    if params:
        out["Parameters"] = list(params)
    return out


def test_batch_writes_each_with_its_own_error(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "dup"}})
    out = ddb.batch_execute_statement(Statements=[
        stmt(f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'new', 'v': 1}}"),
        stmt(f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'dup'}}"),
        stmt(f"UPDATE \"{hash_table}\" SET v = 2 WHERE pk = ?", {"S": "nothing"}),
        stmt(f"DELETE FROM \"{hash_table}\" WHERE v = 1"),
        stmt("SELEC nonsense"),
    ])["Responses"]
    assert out[0] == {"TableName": hash_table}
    assert out[1]["Error"] == {"Code": "DuplicateItem",
                               "Message": "Duplicate primary key exists in table"}
    assert out[2]["Error"] == {"Code": "ConditionalCheckFailed",
                               "Message": "The conditional request failed"}
    assert out[3]["Error"]["Code"] == "ValidationError"
    assert out[4]["Error"]["Code"] == "ValidationError"
    item = ddb.get_item(TableName=hash_table, Key={"pk": {"S": "new"}})["Item"]
    assert item["v"] == {"N": "1"}


def test_batch_reads_are_key_lookups(ddb, range_table):
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    ddb.put_item(TableName=range_table, Item={**key, "v": {"S": "x"}})
    out = ddb.batch_execute_statement(Statements=[
        stmt(f"SELECT * FROM \"{range_table}\" WHERE pk = 'a' AND sk = 1",
             ConsistentRead=True),
        stmt(f"SELECT v FROM \"{range_table}\" WHERE pk = ? AND sk = ?",
             {"S": "a"}, {"N": "1"}),
        stmt(f"SELECT * FROM \"{range_table}\" WHERE pk = 'a' AND sk = 2"),
        stmt(f"SELECT * FROM \"{range_table}\" WHERE pk = 'a'"),
    ])["Responses"]
    assert out[0] == {"TableName": range_table, "Item": {**key, "v": {"S": "x"}}}
    assert out[1] == {"TableName": range_table, "Item": {"v": {"S": "x"}}}
    assert out[2] == {"TableName": range_table}
    assert out[3]["Error"]["Code"] == "ValidationError"


def test_batch_refuses_reads_mixed_with_writes_and_more_than_25(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.batch_execute_statement(Statements=[
            stmt(f"SELECT * FROM \"{hash_table}\" WHERE pk = 'a'"),
            stmt(f"DELETE FROM \"{hash_table}\" WHERE pk = 'a'")])
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        ddb.batch_execute_statement(Statements=[
            stmt(f"DELETE FROM \"{hash_table}\" WHERE pk = 'a'")] * 26)
    code, message = error_of(e)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 25" in message


def test_transaction_writes_all_or_nothing(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "n"}, "v": {"N": "1"}})
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "e"}})
    ddb.execute_transaction(TransactStatements=[
        stmt(f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'a'}}"),
        stmt(f"UPDATE \"{hash_table}\" SET v = v + 1 WHERE pk = 'n'"),
    ])
    assert ddb.get_item(TableName=hash_table, Key={"pk": {"S": "n"}})["Item"]["v"] == {"N": "2"}
    with pytest.raises(ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            stmt(f"UPDATE \"{hash_table}\" SET v = 10 WHERE pk = 'n'"),
            stmt(f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'a', 'v': 3}}"),
            stmt(f"EXISTS(SELECT * FROM \"{hash_table}\" WHERE pk = 'e')"),
        ])
    code, message = error_of(e)
    assert code == "TransactionCanceledException"
    assert message == ("Transaction cancelled, please refer cancellation reasons for specific "
                       "reasons [None, DuplicateItem, None]")
    reasons = e.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "DuplicateItem", "None"]
    assert ddb.get_item(TableName=hash_table, Key={"pk": {"S": "n"}})["Item"]["v"] == {"N": "2"}


def test_transaction_condition_check_fails_the_whole(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "c"}, "v": {"N": "1"}})
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "d"}})
    with pytest.raises(ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            stmt(f"EXISTS(SELECT * FROM \"{hash_table}\" WHERE pk = 'c' AND v = 5)"),
            stmt(f"DELETE FROM \"{hash_table}\" WHERE pk = 'd'"),
        ])
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == [
        "ConditionalCheckFailed", "None"]
    assert "Item" in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "d"}})
    ddb.execute_transaction(TransactStatements=[
        stmt(f"EXISTS(SELECT * FROM \"{hash_table}\" WHERE pk = 'c' AND v = 1)"),
        stmt(f"DELETE FROM \"{hash_table}\" WHERE pk = 'd'"),
    ])
    assert "Item" not in ddb.get_item(TableName=hash_table, Key={"pk": {"S": "d"}})


def test_read_only_transaction(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "r"}, "v": {"S": "x"}})
    out = ddb.execute_transaction(TransactStatements=[
        stmt(f"SELECT v FROM \"{hash_table}\" WHERE pk = 'r'"),
        stmt(f"SELECT * FROM \"{hash_table}\" WHERE pk = ?", {"S": "missing"}),
    ])
    assert out["Responses"] == [{"Item": {"v": {"S": "x"}}}, {}]


def test_transaction_refuses_mixed_reads_and_writes(ddb, hash_table):
    with pytest.raises(ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            stmt(f"SELECT * FROM \"{hash_table}\" WHERE pk = 'a'"),
            stmt(f"DELETE FROM \"{hash_table}\" WHERE pk = 'a'")])
    assert error_of(e)[0] == "ValidationException"


def test_batch_consumed_capacity_is_an_entry_per_table(ddb, hash_table, range_table):
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": "a"}})
    ddb.put_item(TableName=range_table, Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
    reads = [stmt(f"SELECT * FROM \"{hash_table}\" WHERE pk = 'a'"),
             stmt(f"SELECT * FROM \"{range_table}\" WHERE pk = 'a' AND sk = 1",
                  ConsistentRead=True),
             stmt(f"SELECT * FROM \"{hash_table}\" WHERE pk = 'missing'")]
    out = ddb.batch_execute_statement(Statements=reads, ReturnConsumedCapacity="TOTAL")
    # Eventually consistent reads cost half a unit each, a consistent one a
    # unit: summed per table, in the order the statements name the tables.
    assert out["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": 1.0},
        {"TableName": range_table, "CapacityUnits": 1.0}]
    out = ddb.batch_execute_statement(Statements=reads, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"][0] == {"TableName": hash_table, "CapacityUnits": 1.0,
                                          "Table": {"CapacityUnits": 1.0}}
    out = ddb.batch_execute_statement(Statements=[
        stmt(f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'b'}}"),
        stmt(f"UPDATE \"{hash_table}\" SET v = 1 WHERE pk = 'a'"),
        stmt(f"INSERT INTO \"{hash_table}\" VALUE {{'pk': 'a'}}"),  # fails: not counted
    ], ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == [{"TableName": hash_table, "CapacityUnits": 2.0}]
    assert "Error" in out["Responses"][2]
    for capacity in ("NONE", None):
        kwargs = {"ReturnConsumedCapacity": capacity} if capacity else {}
        assert "ConsumedCapacity" not in ddb.batch_execute_statement(Statements=reads, **kwargs)
