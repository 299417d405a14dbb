"""TransactWriteItems: Put, Update, Delete and ConditionCheck committed all
together or not at all, CancellationReasons as DynamoDB gives them, index
entries written with the items, ClientRequestToken and ConsumedCapacity.
The refusals of a malformed request are in test_transact_write_errors.py;
docs/transactions.md gives the source of every text."""
import json
import uuid

import pytest

from conftest import create_hash_table
from raw_http import call
from transact import (CONDITION_FAILED, NONE, check, delete, put, refused, update,
                      write_cancelled)


def k(name):
    return {"pk": {"S": name}}


def item_of(ddb, table, key):
    return ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def all_items(ddb, table):
    return sorted(ddb.scan(TableName=table, ConsistentRead=True)["Items"],
                  key=lambda i: json.dumps(i, sort_keys=True))


@pytest.fixture
def other_table(ddb, table_name):
    name = table_name + "_b"
    create_hash_table(ddb, name)
    yield name
    ddb.delete_table(TableName=name)


def test_every_action_kind_commits_together(ddb, hash_table, other_table):
    ddb.put_item(TableName=hash_table, Item={**k("counter"), "n": {"N": "1"}})
    ddb.put_item(TableName=hash_table, Item={**k("doomed"), "v": {"S": "x"}})
    ddb.put_item(TableName=other_table, Item={**k("guard"), "open": {"BOOL": True}})
    out = ddb.transact_write_items(TransactItems=[
        put(other_table, {**k("new"), "v": {"S": "fresh"}},
            ConditionExpression="attribute_not_exists(pk)"),
        update(hash_table, k("counter"), "ADD n :one SET note = :note",
               ExpressionAttributeValues={":one": {"N": "1"}, ":note": {"S": "bumped"}}),
        delete(hash_table, k("doomed"), ConditionExpression="v = :x",
               ExpressionAttributeValues={":x": {"S": "x"}}),
        check(other_table, k("guard"), "#o = :t", ExpressionAttributeNames={"#o": "open"},
              ExpressionAttributeValues={":t": {"BOOL": True}}),
    ])
    assert "ConsumedCapacity" not in out and "ItemCollectionMetrics" not in out
    assert item_of(ddb, other_table, k("new")) == {**k("new"), "v": {"S": "fresh"}}
    assert item_of(ddb, hash_table, k("counter")) == {**k("counter"), "n": {"N": "2"},
                                                       "note": {"S": "bumped"}}
    assert item_of(ddb, hash_table, k("doomed")) is None
    assert item_of(ddb, other_table, k("guard")) == {**k("guard"), "open": {"BOOL": True}}


def test_update_creates_a_missing_item_and_delete_of_a_missing_item_succeeds(ddb, hash_table):
    ddb.transact_write_items(TransactItems=[
        update(hash_table, k("made"), "SET v = :v", ExpressionAttributeValues={":v": {"N": "7"}}),
        delete(hash_table, k("never-there")),
    ])
    assert all_items(ddb, hash_table) == [{**k("made"), "v": {"N": "7"}}]


def test_one_failed_condition_writes_nothing(ddb, hash_table, other_table):
    ddb.put_item(TableName=hash_table, Item={**k("a"), "n": {"N": "1"}})
    before = all_items(ddb, hash_table)
    reasons = write_cancelled(ddb, [
        put(other_table, {**k("x"), "v": {"S": "would be new"}}),
        update(hash_table, k("a"), "SET n = :five", ConditionExpression="n = :five",
               ExpressionAttributeValues={":five": {"N": "5"}}),
        delete(hash_table, k("a-neighbour")),
    ])
    assert reasons == [NONE, CONDITION_FAILED, NONE]
    assert all_items(ddb, hash_table) == before
    assert all_items(ddb, other_table) == []


def test_several_failed_conditions_give_one_reason_each_in_request_order(ddb, hash_table):
    for name in ("c1", "c2", "c3"):
        ddb.put_item(TableName=hash_table, Item={**k(name), "v": {"N": "1"}})
    before = all_items(ddb, hash_table)
    reasons = write_cancelled(ddb, [
        check(hash_table, k("c1"), "v = :two", ExpressionAttributeValues={":two": {"N": "2"}}),
        put(hash_table, {**k("fresh")}, ConditionExpression="attribute_not_exists(pk)"),
        delete(hash_table, k("c2"), ConditionExpression="attribute_not_exists(pk)"),
        update(hash_table, k("c3"), "SET v = :two", ExpressionAttributeValues={":two": {"N": "2"}}),
        update(hash_table, k("absent"), "SET v = :two", ConditionExpression="attribute_exists(pk)",
               ExpressionAttributeValues={":two": {"N": "2"}}),
    ])
    assert reasons == [CONDITION_FAILED, NONE, CONDITION_FAILED, NONE, CONDITION_FAILED]
    assert all_items(ddb, hash_table) == before


def with_failing_condition(kind, table, key, **options):
    """An action of `kind` on `key` whose condition fails on an existing item."""
    condition = {"ConditionExpression": "v = :nine", "ExpressionAttributeValues": {":nine": {"N": "9"}},
                 **options}
    if kind == "Put":
        return put(table, {**key, "v": {"N": "9"}}, **condition)
    if kind == "Update":
        return update(table, key, "SET v = :nine", **condition)
    if kind == "Delete":
        return delete(table, key, **condition)
    return check(table, key, condition.pop("ConditionExpression"), **condition)


@pytest.mark.parametrize("kind", ["Put", "Update", "Delete", "ConditionCheck"])
def test_all_old_puts_the_item_in_its_reason(ddb, hash_table, kind):
    stored = {**k("old"), "v": {"N": "1"}, "tags": {"SS": ["a", "b"]}}
    ddb.put_item(TableName=hash_table, Item=stored)
    reasons = write_cancelled(ddb, [
        put(hash_table, {**k("other")}),
        with_failing_condition(kind, hash_table, k("old"),
                               ReturnValuesOnConditionCheckFailure="ALL_OLD"),
    ])
    assert reasons == [NONE, {**CONDITION_FAILED, "Item": stored}]
    # NONE, the default, leaves the item out.
    reasons = write_cancelled(ddb, [with_failing_condition(
        kind, hash_table, k("old"), ReturnValuesOnConditionCheckFailure="NONE")])
    assert reasons == [CONDITION_FAILED]
    # A condition failing on a missing item has no item to return.
    reasons = write_cancelled(ddb, [with_failing_condition(
        kind, hash_table, k("missing"), ReturnValuesOnConditionCheckFailure="ALL_OLD")])
    assert reasons == [CONDITION_FAILED]
    assert all_items(ddb, hash_table) == [stored]


def test_cancellation_body_on_the_wire(server, ddb, hash_table):
    # DynamoDB spells this error's message "Message", and a reason that did
    # not fail is only its code.
    ddb.put_item(TableName=hash_table, Item={**k("w"), "v": {"N": "1"}})
    status, _, body = call(server, "TransactWriteItems", {"TransactItems": [
        put(hash_table, {**k("w2")}),
        with_failing_condition("ConditionCheck", hash_table, k("w"),
                               ReturnValuesOnConditionCheckFailure="ALL_OLD")]})
    assert status == 400
    assert json.loads(body) == {
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific "
                   "reasons [None, ConditionalCheckFailed]",
        "CancellationReasons": [NONE, {**CONDITION_FAILED, "Item": {**k("w"), "v": {"N": "1"}}}]}


def test_update_reading_a_missing_attribute_is_a_validation_reason(ddb, hash_table):
    ddb.put_item(TableName=hash_table, Item={**k("no-n")})
    reasons = write_cancelled(ddb, [
        put(hash_table, {**k("side")}),
        update(hash_table, k("no-n"), "SET n = n + :one",
               ExpressionAttributeValues={":one": {"N": "1"}}),
    ])
    assert reasons == [NONE, {"Code": "ValidationError", "Message": "The provided expression "
                              "refers to an attribute that does not exist in the item"}]
    assert all_items(ddb, hash_table) == [{**k("no-n")}]


# A table with a GSI on g and an LSI on l: a transaction's index entries are
# written with its items, and a cancelled one leaves the indexes untouched.
@pytest.fixture
def indexed_table(ddb, table_name):
    name = table_name + "_ix"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t}
                              for n, t in (("pk", "S"), ("sk", "N"), ("g", "S"), ("l", "N"))],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "byg",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        LocalSecondaryIndexes=[{"IndexName": "byl",
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    yield name
    ddb.delete_table(TableName=name)


def ik(sk):
    return {"pk": {"S": "p"}, "sk": {"N": str(sk)}}


def gsi_sks(ddb, table, g):
    out = ddb.query(TableName=table, IndexName="byg", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": g}})
    return sorted(int(i["sk"]["N"]) for i in out["Items"])


def lsi_sks(ddb, table):
    out = ddb.query(TableName=table, IndexName="byl", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p"}}, ConsistentRead=True)
    return [(int(i["l"]["N"]), int(i["sk"]["N"])) for i in out["Items"]]


def test_index_entries_are_written_with_the_transaction(ddb, indexed_table):
    t = indexed_table
    ddb.put_item(TableName=t, Item={**ik(3), "g": {"S": "blue"}, "l": {"N": "30"}})
    ddb.transact_write_items(TransactItems=[
        put(t, {**ik(1), "g": {"S": "red"}, "l": {"N": "10"}}),
        put(t, {**ik(2), "g": {"S": "red"}, "l": {"N": "5"}}),
        update(t, ik(3), "SET g = :red REMOVE l", ExpressionAttributeValues={":red": {"S": "red"}}),
    ])
    assert gsi_sks(ddb, t, "red") == [1, 2, 3]
    assert gsi_sks(ddb, t, "blue") == []
    assert lsi_sks(ddb, t) == [(5, 2), (10, 1)]

    reasons = write_cancelled(ddb, [
        update(t, ik(1), "SET g = :blue, l = :one",
               ExpressionAttributeValues={":blue": {"S": "blue"}, ":one": {"N": "1"}}),
        delete(t, ik(2)),
        check(t, ik(3), "attribute_exists(l)"),
    ])
    assert reasons == [NONE, NONE, CONDITION_FAILED]
    assert gsi_sks(ddb, t, "red") == [1, 2, 3]
    assert gsi_sks(ddb, t, "blue") == []
    assert lsi_sks(ddb, t) == [(5, 2), (10, 1)]

    ddb.transact_write_items(TransactItems=[delete(t, ik(2)), delete(t, ik(3))])
    assert gsi_sks(ddb, t, "red") == [1]
    assert lsi_sks(ddb, t) == [(10, 1)]


def counter_add(table, token_item="counter"):
    return [update(table, k(token_item), "ADD c :one", ExpressionAttributeValues={":one": {"N": "1"}}),
            put(table, {**k("marker"), "v": {"S": "m"}})]


def test_same_token_same_request_is_answered_without_writing_again(ddb, hash_table):
    token = str(uuid.uuid4())
    for _ in range(3):
        ddb.transact_write_items(TransactItems=counter_add(hash_table), ClientRequestToken=token)
    assert item_of(ddb, hash_table, k("counter"))["c"] == {"N": "1"}
    # Another token is another transaction.
    ddb.transact_write_items(TransactItems=counter_add(hash_table),
                             ClientRequestToken=str(uuid.uuid4()))
    assert item_of(ddb, hash_table, k("counter"))["c"] == {"N": "2"}


def test_same_token_other_request_is_a_mismatch(ddb, hash_table):
    token = str(uuid.uuid4())
    ddb.transact_write_items(TransactItems=counter_add(hash_table), ClientRequestToken=token)
    code, _, status = refused(ddb.transact_write_items, ClientRequestToken=token,
                              TransactItems=counter_add(hash_table, "another-counter"))
    assert (code, status) == ("IdempotentParameterMismatchException", 400)
    assert item_of(ddb, hash_table, k("another-counter")) is None
    assert item_of(ddb, hash_table, k("counter"))["c"] == {"N": "1"}


def test_token_on_a_cancelled_transaction(ddb, hash_table):
    # Whether DynamoDB keeps the token of a cancelled transaction is not
    # confirmed; either way the same request is cancelled the same way again.
    token = str(uuid.uuid4())
    items = [check(hash_table, k("absent"), "attribute_exists(pk)"), put(hash_table, {**k("p")})]
    for _ in range(2):
        assert write_cancelled(ddb, items, ClientRequestToken=token) == [CONDITION_FAILED, NONE]
    assert all_items(ddb, hash_table) == []


def test_consumed_capacity(ddb, hash_table, other_table):
    small = [put(hash_table, {**k("s1")}), put(hash_table, {**k("s2")}),
             put(other_table, {**k("s3")})]
    out = ddb.transact_write_items(TransactItems=small, ReturnConsumedCapacity="TOTAL")
    by_table = {c["TableName"]: c for c in out["ConsumedCapacity"]}
    assert by_table == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0},
        other_table: {"TableName": other_table, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}

    # 2 units per KB, each item rounded up to whole KB: 1.5 KB costs 4.
    out = ddb.transact_write_items(
        TransactItems=[put(hash_table, {**k("big"), "v": {"S": "x" * 1500}}),
                       check(other_table, k("s3"), "attribute_exists(pk)")],
        ReturnConsumedCapacity="INDEXES")
    by_table = {c["TableName"]: c for c in out["ConsumedCapacity"]}
    assert by_table == {
        hash_table: {"TableName": hash_table, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0,
                     "Table": {"CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}},
        other_table: {"TableName": other_table, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0,
                      "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}}

    out = ddb.transact_write_items(TransactItems=[delete(hash_table, k("s1"))],
                                   ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in out


def test_consumed_capacity_names_the_indexes_written(ddb, indexed_table):
    out = ddb.transact_write_items(
        TransactItems=[put(indexed_table, {**ik(1), "g": {"S": "red"}})],
        ReturnConsumedCapacity="INDEXES")
    # The item joins byg (twice a write's unit) and not byl (no l): only
    # indexes whose entry changes are charged (docs/capacity.md).
    assert out["ConsumedCapacity"] == [{
        "TableName": indexed_table, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0,
        "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
        "GlobalSecondaryIndexes": {"byg": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}}]


def test_cancelled_transaction_reports_no_capacity(server, hash_table):
    status, _, body = call(server, "TransactWriteItems", {
        "TransactItems": [check(hash_table, k("absent"), "attribute_exists(pk)")],
        "ReturnConsumedCapacity": "TOTAL"})
    doc = json.loads(body)
    assert status == 400
    assert doc["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
    assert "ConsumedCapacity" not in doc


def test_a_hundred_actions_across_tables(ddb, hash_table, other_table):
    items = [put(hash_table if i % 2 else other_table, {**k(f"i{i}"), "n": {"N": str(i)}})
             for i in range(100)]
    ddb.transact_write_items(TransactItems=items)
    assert len(all_items(ddb, hash_table)) == 50 and len(all_items(ddb, other_table)) == 50


def test_condition_on_an_item_of_a_table_with_a_sort_key(ddb, range_table):
    key = {"pk": {"S": "r"}, "sk": {"N": "1"}}
    ddb.transact_write_items(TransactItems=[put(range_table, {**key, "v": {"S": "a"}})])
    reasons = write_cancelled(ddb, [
        update(range_table, key, "SET v = :b", ExpressionAttributeValues={":b": {"S": "b"}}),
        update(range_table, {"pk": {"S": "r"}, "sk": {"N": "2"}}, "SET v = :b",
               ConditionExpression="attribute_exists(pk)",
               ExpressionAttributeValues={":b": {"S": "b"}})])
    assert reasons == [NONE, CONDITION_FAILED]
    assert ddb.scan(TableName=range_table)["Items"] == [{**key, "v": {"S": "a"}}]
