"""TransactWriteItems refusing a malformed request: what DynamoDB refuses as a
whole (ValidationException, ResourceNotFoundException) and what it answers
as a ValidationError cancellation reason. Either way nothing is written.
docs/transactions.md gives the source of every text and lists the ones that
could not be confirmed."""
import re

import pytest

from transact import (DUPLICATE, NONE, NOT_FOUND, check, delete, put, refused, update,
                      write_cancelled)

MEMBER_MIN = "Member must have length greater than or equal to 1"
EMPTY_LIST = ("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
              "constraint: " + MEMBER_MIN,
              "1 validation error detected: Value at 'TransactItems' failed to satisfy "
              "constraint: " + MEMBER_MIN)
OVER_100 = re.compile(r"^1 validation error detected: (?:Value '\[.+\]' at 'transactItems'|"
                      r"Value at 'TransactItems') failed to satisfy constraint: "
                      r"Member must have length less than or equal to 100$", re.S)
EMPTY_KEY = ("One or more parameter values are not valid. The AttributeValue for a key "
             "attribute cannot contain an empty string value. Key: pk")
ONE_KIND = "TransactItems can only contain one of Check, Put, Update or Delete"


def k(name):
    return {"pk": {"S": name}}


def validation(ddb, items, **kwargs):
    """The message of a ValidationException refusing the whole request."""
    code, message, status = refused(ddb.transact_write_items, TransactItems=items, **kwargs)
    assert (code, status) == ("ValidationException", 400), (code, message)
    return message


@pytest.fixture
def untouched(ddb, hash_table):
    """hash_table with one item; checks after the test that it is all there is."""
    stored = {**k("kept"), "v": {"N": "1"}}
    ddb.put_item(TableName=hash_table, Item=stored)
    yield hash_table
    assert ddb.scan(TableName=hash_table, ConsistentRead=True)["Items"] == [stored]


def test_empty_transaction(ddb, untouched):
    assert validation(ddb, []) in EMPTY_LIST


def test_more_than_100_actions(ddb, untouched):
    message = validation(ddb, [put(untouched, {**k(f"n{i}")}) for i in range(101)])
    assert OVER_100.match(message), message


@pytest.mark.parametrize("second", [
    delete("T", k("dup")),
    update("T", k("dup"), "SET v = :v", ExpressionAttributeValues={":v": {"N": "2"}}),
    check("T", k("dup"), "attribute_not_exists(pk)"),
    put("T", {**k("dup"), "other": {"S": "x"}}),
], ids=["delete", "update", "check", "put"])
def test_two_actions_on_one_item(ddb, untouched, second):
    body = dict(next(iter(second.values())), TableName=untouched)
    items = [put(untouched, {**k("dup"), "v": {"N": "1"}}), {next(iter(second)): body}]
    assert validation(ddb, items) == DUPLICATE


def test_two_actions_on_one_item_with_key_attributes_in_another_order(ddb, range_table):
    items = [put(range_table, {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "x"}}),
             delete(range_table, {"sk": {"N": "1"}, "pk": {"S": "a"}})]
    assert validation(ddb, items) == DUPLICATE
    assert ddb.scan(TableName=range_table)["Items"] == []


def test_missing_table(ddb, untouched):
    code, message, status = refused(ddb.transact_write_items, TransactItems=[
        put(untouched, {**k("would-write")}),
        put("no_such_table_txn", {**k("x")})])
    assert (code, message, status) == ("ResourceNotFoundException", NOT_FOUND, 400)


@pytest.mark.parametrize("action", [
    {},
    {"Put": {"TableName": "T", "Item": k("x")}, "Delete": {"TableName": "T", "Key": k("y")}},
], ids=["none", "two"])
def test_action_with_not_exactly_one_kind(ddb, untouched, action):
    action = {kind: dict(body, TableName=untouched) for kind, body in action.items()}
    assert validation(ddb, [put(untouched, {**k("ok")}), action]) == ONE_KIND


def test_condition_check_needs_a_condition(ddb, untouched):
    action = {"ConditionCheck": {"TableName": untouched, "Key": k("kept")}}
    assert validation(ddb, [action]) == (
        "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck."
        "conditionExpression' failed to satisfy constraint: Member must not be null")


def validation_reason(message):
    return {"Code": "ValidationError", "Message": message}


def test_put_with_a_wrong_key_is_a_validation_reason(ddb, untouched):
    reasons = write_cancelled(ddb, [put(untouched, {**k("fine")}),
                                    put(untouched, {"pk": {"N": "5"}})])
    assert reasons == [NONE, validation_reason(
        "One or more parameter values were invalid: Type mismatch for key pk expected: S "
        "actual: N")]
    reasons = write_cancelled(ddb, [put(untouched, {"other": {"S": "no key"}})])
    assert reasons == [validation_reason(
        "One or more parameter values were invalid: Missing the key pk in the item")]


@pytest.mark.parametrize("make", [
    lambda t, key: update(t, key, "SET v = :v", ExpressionAttributeValues={":v": {"N": "2"}}),
    lambda t, key: delete(t, key),
    lambda t, key: check(t, key, "attribute_exists(pk)"),
], ids=["update", "delete", "check"])
def test_key_not_matching_the_schema_is_a_validation_reason(ddb, untouched, make):
    schema = validation_reason("The provided key element does not match the schema")
    for wrong in ({"pk": {"N": "5"}}, {"pk": {"L": [{"S": "x"}]}}):
        assert write_cancelled(ddb, [make(untouched, wrong)]) == [schema]


@pytest.mark.parametrize("make", [
    lambda t: put(t, {"pk": {"S": ""}}),
    lambda t: update(t, {"pk": {"S": ""}}, "SET v = :v", ExpressionAttributeValues={":v": {"N": "2"}}),
    lambda t: delete(t, {"pk": {"S": ""}}),
    lambda t: check(t, {"pk": {"S": ""}}, "attribute_exists(pk)"),
], ids=["put", "update", "delete", "check"])
def test_empty_key_value_refuses_the_request(ddb, untouched, make):
    assert validation(ddb, [put(untouched, {**k("other")}), make(untouched)]) == EMPTY_KEY


def test_put_of_an_item_over_400_kb_refuses_the_request(ddb, untouched):
    message = validation(ddb, [put(untouched, {**k("huge"), "v": {"S": "x" * (400 * 1024)}})])
    assert message == "Item size has exceeded the maximum allowed size"


def test_update_growing_an_item_over_400_kb_is_a_validation_reason(ddb, hash_table):
    # Neither the stored item nor the value alone is over the limit: together they are.
    stored = {**k("grow"), "pad": {"S": "p" * 20000}}
    ddb.put_item(TableName=hash_table, Item=stored)
    reasons = write_cancelled(ddb, [
        put(hash_table, {**k("side")}),
        update(hash_table, k("grow"), "SET big = :big",
               ExpressionAttributeValues={":big": {"S": "x" * (395 * 1024)}})])
    assert reasons == [NONE, validation_reason(
        "Item size to update has exceeded the maximum allowed size")]
    assert ddb.scan(TableName=hash_table, ConsistentRead=True)["Items"] == [stored]


def test_total_over_4_mb_refuses_the_request(ddb, untouched):
    # Eleven items of 390 KB: each under 400 KB, 4.19 MB in all.
    items = [put(untouched, {**k(f"b{i}"), "v": {"S": "x" * (390 * 1024)}}) for i in range(11)]
    message = validation(ddb, items)
    assert message.startswith("Transaction payload size cannot exceed 4MB"), message


def test_condition_that_does_not_parse(ddb, untouched):
    # Refused before the tables are looked up, whichever action carries it.
    items = [put("no_such_table_txn", {**k("a")}),
             check(untouched, k("kept"), "attribute_not_exists(")]
    assert validation(ddb, items) == (
        'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("')


def test_update_expression_that_does_not_parse(ddb, untouched):
    message = validation(ddb, [update(untouched, k("kept"), "SET v = :v SET w = :v",
                                      ExpressionAttributeValues={":v": {"N": "2"}})])
    assert message.startswith('Invalid UpdateExpression: The "SET" section can only be used '
                              'once in an update expression;'), message


UNUSED_CHECK = check("T", k("kept"), "attribute_not_exists(pk)",
                     ExpressionAttributeValues={":v": {"S": "x"}})


def unused_check(table):
    return {"ConditionCheck": dict(UNUSED_CHECK["ConditionCheck"], TableName=table)}


@pytest.mark.parametrize("order", ["missing-table-first", "missing-table-last", "duplicate"])
def test_unused_value_is_refused_before_tables_and_duplicates(ddb, untouched, order):
    if order == "missing-table-first":
        items = [put("no_such_table_txn", {**k("a")}), unused_check(untouched)]
    elif order == "missing-table-last":
        items = [unused_check(untouched), put("no_such_table_txn", {**k("a")})]
    else:
        items = [put(untouched, {**k("kept")}), unused_check(untouched)]
    assert validation(ddb, items) == (
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}")


def test_empty_expression_attribute_values(ddb, untouched):
    items = [put(untouched, {**k("new")}, ConditionExpression="attribute_not_exists(#n)",
                 ExpressionAttributeNames={"#n": "pk"}, ExpressionAttributeValues={})]
    assert validation(ddb, items) == "ExpressionAttributeValues must not be empty"


def test_client_request_token_over_36_characters(ddb, untouched):
    token = "x" * 37
    message = validation(ddb, [put(untouched, {**k("new")})], ClientRequestToken=token)
    assert message in (
        "1 validation error detected: Value at 'ClientRequestToken' failed to satisfy "
        "constraint: Member must have length less than or equal to 36",
        f"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to "
        "satisfy constraint: Member must have length less than or equal to 36")


def test_unknown_return_consumed_capacity_comes_before_a_missing_table(ddb, untouched):
    message = validation(ddb, [put("no_such_table_txn", {**k("a")})],
                         ReturnConsumedCapacity="BOGUS")
    assert message == ("1 validation error detected: Value 'BOGUS' at 'returnConsumedCapacity' "
                       "failed to satisfy constraint: Member must satisfy enum value set: "
                       "[INDEXES, TOTAL, NONE]")
