"""Validation messages of the data plane as DynamoDB words them, each
confirmed from DynamoDB's own answers (sources in docs/validation-messages.md):
the table name of a data-plane call and the batch operations' RequestItems are
member constraints reported in the "N validation error(s) detected" form,
Select's enum is listed in DynamoDB's order, and a BatchWriteItem put whose
item lacks or mistypes a key attribute is a key that does not match."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of

ONE = "1 validation error detected: "
NAME_RULES = ("Map keys must satisfy constraint: [Member must have length less than or equal "
              "to 255, Member must have length greater than or equal to 3, Member must satisfy "
              "regular expression pattern: [a-zA-Z0-9_.-]+]")


def refused(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return error_of(e)


@pytest.mark.parametrize("name,message", [
    ("a" * 256, ONE + "Value '" + "a" * 256 + "' at 'tableName' failed to satisfy constraint: "
     "Member must have length less than or equal to 255"),
    ("bad table!@#", ONE + "Value 'bad table!@#' at 'tableName' failed to satisfy constraint: "
     "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ("", ONE + "Value '' at 'tableName' failed to satisfy constraint: "
     "Member must have length greater than or equal to 1"),
])
def test_data_plane_table_name_constraints(ddb, name, message):
    key = {"pk": {"S": "a"}}
    for call, kwargs in ((ddb.put_item, {"Item": key}), (ddb.get_item, {"Key": key}),
                         (ddb.delete_item, {"Key": key}), (ddb.update_item, {"Key": key}),
                         (ddb.scan, {}),
                         (ddb.query, {"KeyConditionExpression": "pk = :p",
                                      "ExpressionAttributeValues": {":p": {"S": "a"}}})):
        assert refused(call, TableName=name, **kwargs) == ("ValidationException", message)


def test_select_enum_in_dynamodbs_order(ddb, hash_table):
    for call in (ddb.query, ddb.scan):
        kwargs = {"KeyConditionExpression": "pk = :p",
                  "ExpressionAttributeValues": {":p": {"S": "a"}}} if call == ddb.query else {}
        assert refused(call, TableName=hash_table, Select="INVALID_VALUE", **kwargs) == (
            "ValidationException",
            ONE + "Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must "
            "satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
            "ALL_PROJECTED_ATTRIBUTES]")


def test_empty_request_items(ddb):
    message = (ONE + "Value at 'RequestItems' failed to satisfy constraint: "
               "Member must have length greater than or equal to 1")
    assert refused(ddb.batch_get_item, RequestItems={}) == ("ValidationException", message)
    assert refused(ddb.batch_write_item, RequestItems={}) == ("ValidationException", message)


def test_batch_get_keys_lengths(ddb, hash_table):
    path = "RequestItems." + hash_table + ".member.Keys"
    assert refused(ddb.batch_get_item, RequestItems={hash_table: {"Keys": []}}) == (
        "ValidationException", ONE + "Value at '" + path + "' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1")
    keys = [{"pk": {"S": f"k{i}"}} for i in range(101)]
    assert refused(ddb.batch_get_item, RequestItems={hash_table: {"Keys": keys}}) == (
        "ValidationException", ONE + "Value at '" + path + "' failed to satisfy constraint: "
        "Member must have length less than or equal to 100")


def test_batch_table_names_are_map_key_constraints(ddb):
    assert refused(ddb.batch_get_item,
                   RequestItems={"bad!name": {"Keys": [{"pk": {"S": "a"}}]}}) == (
        "ValidationException",
        ONE + "Value '{\"bad!name\":{\"Keys\":[{\"pk\":{\"S\":\"a\"}}]}}' at 'requestItems' "
        "failed to satisfy constraint: " + NAME_RULES)
    # DynamoDB echoes the write requests as Java prints them; we show "[...]".
    code, message = refused(ddb.batch_write_item, RequestItems={
        "ab": [{"PutRequest": {"Item": {"pk": {"S": "x"}}}}]})
    assert (code, message) == ("ValidationException",
                               ONE + "Value '{ab=[...]}' at 'requestItems' failed to satisfy "
                               "constraint: " + NAME_RULES)


@pytest.mark.parametrize("item", [{"other": {"S": "x"}}, {"pk": {"N": "5"}},
                                  {"pk": {"L": [{"S": "x"}]}}])
def test_batch_put_key_not_matching_the_schema(ddb, hash_table, item):
    assert refused(ddb.batch_write_item,
                   RequestItems={hash_table: [{"PutRequest": {"Item": item}}]}) == (
        "ValidationException", "The provided key element does not match the schema")
    assert ddb.scan(TableName=hash_table)["Count"] == 0
