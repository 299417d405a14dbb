"""Time to Live: UpdateTimeToLive and DescribeTimeToLive (states, refusals,
persistence), and the sweeper that really deletes expired items.

The sweep tests run a server whose TTL clock is moved forward a day
(ttl.test_clock_offset_seconds, a test-only setting) and sweeps every second,
so an item that expires within the day is deleted at once, while the real
clock still says it is in the future."""
import signal
import time

import pytest
from botocore.exceptions import ClientError

from conftest import Server, create_hash_table, error_of, new_server, write_config

DAY = 86400
MALFORMED = "1 validation error detected: "


@pytest.fixture(scope="module")
def sweeping(workdir, engine):
    """A server whose TTL clock runs a day ahead and sweeps every second."""
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("ttl:\n  sweep_interval_seconds: 1\n"
                f"  test_clock_offset_seconds: {DAY}\n")
    srv.start()
    yield srv
    srv.stop()


def describe(ddb, table):
    return ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]


def update(ddb, table, enabled, attribute="exp"):
    return ddb.update_time_to_live(
        TableName=table,
        TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute})


def update_error(ddb, table, spec):
    args = {"TableName": table}
    if spec is not None:
        args["TimeToLiveSpecification"] = spec
    with pytest.raises(ClientError) as e:
        ddb.update_time_to_live(**args)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error_of(e)


def test_a_new_table_has_ttl_disabled(ddb, hash_table):
    assert describe(ddb, hash_table) == {"TimeToLiveStatus": "DISABLED"}


COOLDOWN = 1860  # ttl.change_cooldown_seconds' default, DynamoDB's as observed
TOO_SOON = ("ValidationException",
            "Time to live has been modified multiple times within a fixed interval")


def clock_moved(srv, engine, seconds):
    """A server on `srv`'s data directory whose clock runs `seconds` ahead."""
    config = f"{srv.config_path}.{seconds}"
    write_config(config, engine, (), False)
    with open(config, "a") as f:
        f.write(f"ttl:\n  test_clock_offset_seconds: {seconds}\n")
    return Server(srv.data_dir, config)


def test_enable_then_disable_after_the_cooldown(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    create_hash_table(ddb, "toggled")
    r = update(ddb, "toggled", True, "expires_at")
    assert r["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    # In effect at once: DynamoDB was not seen to show ENABLING.
    assert describe(ddb, "toggled") == {"TimeToLiveStatus": "ENABLED",
                                        "AttributeName": "expires_at"}
    # A second change within the interval is refused and changes nothing;
    # the state's own refusals come first.
    assert update_error(ddb, "toggled", {"Enabled": False,
                                         "AttributeName": "expires_at"}) == TOO_SOON
    assert update_error(ddb, "toggled", {"Enabled": True, "AttributeName": "expires_at"}) == (
        "ValidationException", "TimeToLive is already enabled")
    assert describe(ddb, "toggled")["TimeToLiveStatus"] == "ENABLED"
    srv.stop(signal.SIGTERM)

    # Past the interval (the clock moved, the change time kept in the
    # catalog across the restart) the table may be disabled, which starts
    # the interval again.
    srv = clock_moved(srv, engine, COOLDOWN + 5).start()
    ddb = srv.client()
    r = update(ddb, "toggled", False, "expires_at")
    assert r["TimeToLiveSpecification"] == {"Enabled": False}
    assert describe(ddb, "toggled") == {"TimeToLiveStatus": "DISABLED"}
    assert update_error(ddb, "toggled", {"Enabled": True, "AttributeName": "other"}) == TOO_SOON
    srv.stop(signal.SIGTERM)

    srv = clock_moved(srv, engine, 2 * COOLDOWN + 10).start()
    ddb = srv.client()
    update(ddb, "toggled", True, "other")
    assert describe(ddb, "toggled")["AttributeName"] == "other"
    srv.stop()


def test_no_cooldown_when_configured_off(workdir, engine):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("ttl:\n  change_cooldown_seconds: 0\n")
    srv.start()
    ddb = srv.client()
    create_hash_table(ddb, "quick")
    update(ddb, "quick", True, "exp")
    update(ddb, "quick", False, "exp")
    update(ddb, "quick", True, "other")
    assert describe(ddb, "quick") == {"TimeToLiveStatus": "ENABLED", "AttributeName": "other"}
    srv.stop()


def test_enabling_an_enabled_table_is_refused(ddb, hash_table):
    update(ddb, hash_table, True, "exp")
    spec = {"Enabled": True, "AttributeName": "exp"}
    assert update_error(ddb, hash_table, spec) == (
        "ValidationException", "TimeToLive is already enabled")
    # Another attribute: the way to change it is to disable first. Disabling
    # must name the enabled attribute too.
    different = ("ValidationException",
                 "TimeToLive is active on a different AttributeName: current AttributeName is exp")
    spec["AttributeName"] = "other"
    assert update_error(ddb, hash_table, spec) == different
    assert update_error(ddb, hash_table, {"Enabled": False, "AttributeName": "other"}) == different
    assert describe(ddb, hash_table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}


def test_disabling_a_disabled_table_is_refused(ddb, hash_table):
    assert update_error(ddb, hash_table, {"Enabled": False, "AttributeName": "exp"}) == (
        "ValidationException", "TimeToLive is already disabled")
    assert describe(ddb, hash_table) == {"TimeToLiveStatus": "DISABLED"}


@pytest.mark.parametrize("spec, message", [
    (None, "Value null at 'timeToLiveSpecification' failed to satisfy constraint: "
           "Member must not be null"),
    ({"Enabled": True}, "Value null at 'timeToLiveSpecification.attributeName' failed to "
                        "satisfy constraint: Member must not be null"),
    ({"Enabled": True, "AttributeName": "a" * 256},
     "Value '" + "a" * 256 + "' at 'timeToLiveSpecification.attributeName' failed to "
     "satisfy constraint: Member must have length less than or equal to 255"),
    ({"AttributeName": "exp"}, "Value null at 'timeToLiveSpecification.enabled' failed to "
                               "satisfy constraint: Member must not be null"),
])
def test_malformed_specification(ddb, hash_table, spec, message):
    assert update_error(ddb, hash_table, spec) == ("ValidationException", MALFORMED + message)
    assert describe(ddb, hash_table) == {"TimeToLiveStatus": "DISABLED"}


def test_both_members_missing(ddb, hash_table):
    assert update_error(ddb, hash_table, {}) == (
        "ValidationException",
        "2 validation errors detected: "
        "Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: "
        "Member must not be null; "
        "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy "
        "constraint: Member must not be null")


def test_an_empty_attribute_name(ddb, hash_table):
    # Its own text, not the length constraint's; checked before the table's
    # state, and before the table is looked up.
    for table in (hash_table, "no_such_table"):
        assert update_error(ddb, table, {"Enabled": True, "AttributeName": ""}) == (
            "ValidationException", "TimeToLiveSpecification.AttributeName must be non empty")


def test_a_missing_table(ddb):
    message = "Requested resource not found: Table: no_such_table not found"
    with pytest.raises(ClientError) as e:
        update(ddb, "no_such_table", True)
    assert error_of(e) == ("ResourceNotFoundException", message)
    with pytest.raises(ClientError) as e:
        describe(ddb, "no_such_table")
    assert error_of(e) == ("ResourceNotFoundException", message)


def test_ttl_survives_a_restart(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    create_hash_table(ddb, "kept_ttl")
    create_hash_table(ddb, "no_ttl")
    update(ddb, "kept_ttl", True, "expires")
    srv.stop(signal.SIGTERM)
    srv.start()
    ddb = srv.client()
    assert describe(ddb, "kept_ttl") == {"TimeToLiveStatus": "ENABLED",
                                         "AttributeName": "expires"}
    assert describe(ddb, "no_ttl") == {"TimeToLiveStatus": "DISABLED"}
    srv.stop()


def poll(check, seconds=30):
    """Calls `check` until it returns true, or fails after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("not within %d seconds" % seconds)


@pytest.fixture
def swept_table(sweeping, table_name):
    """A table with TTL on `exp` and a GSI `byg` on `g`, on the sweeping server."""
    ddb = sweeping.client()
    ddb.create_table(
        TableName=table_name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "byg",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    yield ddb, table_name
    ddb.delete_table(TableName=table_name)


def keys(ddb, table, **index):
    items = ddb.scan(TableName=table, ConsistentRead=not index, **index)["Items"]
    return sorted(i["pk"]["S"] for i in items)


def test_expired_items_are_deleted_with_their_index_entries(swept_table):
    ddb, table = swept_table
    now = int(time.time())
    items = {
        "past": {"N": str(now - 10)},              # expired by the real clock too
        "within_a_day": {"N": str(now + 3600)},    # expired by the moved clock
        "fraction": {"N": f"{now + 60}.5"},
        "next_year": {"N": str(now + 365 * DAY)},  # not expired
        "string": {"S": str(now - 10)},            # not a Number: never expires
        "number_set": {"NS": [str(now - 10)]},
    }
    for pk, exp in items.items():
        ddb.put_item(TableName=table, Item={"pk": {"S": pk}, "g": {"S": "x"}, "exp": exp})
    ddb.put_item(TableName=table, Item={"pk": {"S": "no_exp"}, "g": {"S": "x"}})
    update(ddb, table, True, "exp")

    kept = ["next_year", "no_exp", "number_set", "string"]
    poll(lambda: keys(ddb, table) == kept)
    # The GSI's entries went with the items, in the same write.
    assert keys(ddb, table, IndexName="byg") == kept
    r = ddb.query(TableName=table, IndexName="byg", KeyConditionExpression="g = :g",
                  ExpressionAttributeValues={":g": {"S": "x"}})
    assert sorted(i["pk"]["S"] for i in r["Items"]) == kept


def test_nothing_expires_while_ttl_is_disabled(sweeping, swept_table):
    ddb, table = swept_table
    ddb.put_item(TableName=table, Item={"pk": {"S": "old"}, "exp": {"N": "1"}})
    # A sweep over another table with TTL shows the sweeper has run.
    create_hash_table(ddb, table + "_witness")
    update(ddb, table + "_witness", True, "exp")
    ddb.put_item(TableName=table + "_witness", Item={"pk": {"S": "w"}, "exp": {"N": "1"}})
    poll(lambda: keys(ddb, table + "_witness") == [])
    ddb.delete_table(TableName=table + "_witness")
    assert keys(ddb, table) == ["old"]


def test_a_renewed_item_stays(swept_table):
    ddb, table = swept_table
    now = int(time.time())
    update(ddb, table, True, "exp")
    ddb.put_item(TableName=table, Item={"pk": {"S": "renewed"}, "exp": {"N": str(now + 2 * DAY)}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "expiring"}, "exp": {"N": str(now - 1)}})
    poll(lambda: keys(ddb, table) == ["renewed"])
    # Renewed by an update to an expiry past the moved clock, it stays; an
    # update that makes it expire gets it deleted.
    ddb.update_item(TableName=table, Key={"pk": {"S": "renewed"}},
                    UpdateExpression="SET exp = :e",
                    ExpressionAttributeValues={":e": {"N": str(now + 3 * DAY)}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "expiring"}, "exp": {"N": str(now - 1)}})
    poll(lambda: keys(ddb, table) == ["renewed"])
    ddb.update_item(TableName=table, Key={"pk": {"S": "renewed"}},
                    UpdateExpression="SET exp = :e",
                    ExpressionAttributeValues={":e": {"N": str(now)}})
    poll(lambda: keys(ddb, table) == [])


def test_the_moved_clock_is_logged(sweeping):
    with open(sweeping.log_path) as f:
        assert "ttl.test_clock_offset_seconds is 86400" in f.read()
