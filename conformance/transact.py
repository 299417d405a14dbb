"""Builders for TransactWriteItems/TransactGetItems actions and readers of a
TransactionCanceledException, shared by the conformance/test_transact_*
files. The texts are DynamoDB's; docs/transactions.md gives their sources."""
import pytest
from botocore.exceptions import ClientError

CONDITION_FAILED = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
NONE = {"Code": "None"}
DUPLICATE = "Transaction request cannot include multiple operations on one item"
NOT_FOUND = "Requested resource not found"


def _with(body, options):
    body.update({k: v for k, v in options.items() if v is not None})
    return body


def put(table, item, **options):
    return {"Put": _with({"TableName": table, "Item": item}, options)}


def update(table, key, expression, **options):
    return {"Update": _with({"TableName": table, "Key": key, "UpdateExpression": expression},
                            options)}


def delete(table, key, **options):
    return {"Delete": _with({"TableName": table, "Key": key}, options)}


def check(table, key, condition, **options):
    return {"ConditionCheck": _with({"TableName": table, "Key": key,
                                     "ConditionExpression": condition}, options)}


def get(table, key, **options):
    return {"Get": _with({"TableName": table, "Key": key}, options)}


def cancelled_message(codes):
    return ("Transaction cancelled, please refer cancellation reasons for specific reasons ["
            + ", ".join(codes) + "]")


def cancellation_reasons(excinfo):
    """The CancellationReasons of a TransactionCanceledException, after
    checking its status and that its message names every reason's code."""
    response = excinfo.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException", response["Error"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    reasons = response["CancellationReasons"]
    assert response["Error"]["Message"] == cancelled_message([r["Code"] for r in reasons])
    return reasons


def write_cancelled(ddb, items, **kwargs):
    """The CancellationReasons of a TransactWriteItems expected to be cancelled."""
    with pytest.raises(ClientError) as e:
        ddb.transact_write_items(TransactItems=items, **kwargs)
    return cancellation_reasons(e)


def refused(call, **kwargs):
    """(code, message, HTTP status) of a request expected to fail as a whole."""
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    response = e.value.response
    return (response["Error"]["Code"], response["Error"].get("Message", ""),
            response["ResponseMetadata"]["HTTPStatusCode"])
