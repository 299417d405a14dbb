"""Per-key permissions (auth.keys[].actions and .tables) through boto3:
what a key may not do is AccessDeniedException, as with an IAM policy."""
import os

import boto3
import botocore.config
import botocore.exceptions
import pytest

from conftest import Server, make_client, write_config


@pytest.fixture(scope="module")
def keyed_server(workdir, engine):
    cfg = os.path.join(workdir, "config-permissions.yaml")
    write_config(cfg, engine)
    with open(cfg, "a") as f:
        f.write("""auth:
  mode: sigv4
  keys:
    - {access_key_id: admin, secret: admin-secret}
    - access_key_id: reader
      secret: reader-secret
      actions: [GetItem, BatchGetItem, Query, Scan, "Describe*", "dynamodb:ListTables"]
    - {access_key_id: app, secret: app-secret, tables: ["app_*"]}
""")
    s = Server(os.path.join(workdir, "data-permissions"), cfg).start()
    yield s
    s.stop()


def client(server, key):
    return make_client(server.endpoint, key, key + "-secret")


@pytest.fixture(scope="module")
def tables(keyed_server):
    admin = client(keyed_server, "admin")
    for name in ("app_orders", "billing"):
        admin.create_table(TableName=name,
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           BillingMode="PAY_PER_REQUEST")
        admin.put_item(TableName=name, Item={"pk": {"S": "a"}})
    yield
    for name in ("app_orders", "billing"):
        admin.delete_table(TableName=name)


def denied(excinfo):
    err = excinfo.value.response["Error"]
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return err["Code"], err["Message"]


def assert_denied_on(call, resource):
    """`call` is refused with AccessDeniedException naming `resource`."""
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call()
    code, message = denied(e)
    assert code == "AccessDeniedException"
    assert resource in message


def test_read_only_key_reads_but_cannot_write(keyed_server, tables):
    reader = client(keyed_server, "reader")
    assert reader.get_item(TableName="billing", Key={"pk": {"S": "a"}})["Item"]
    assert "billing" in reader.list_tables()["TableNames"]
    reader.describe_table(TableName="billing")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        reader.put_item(TableName="billing", Item={"pk": {"S": "b"}})
    assert denied(e) == (
        "AccessDeniedException",
        "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: "
        "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/billing "
        "because no identity-based policy allows the dynamodb:PutItem action")
    admin = client(keyed_server, "admin")
    assert "Item" not in admin.get_item(TableName="billing", Key={"pk": {"S": "b"}})


def test_key_limited_to_its_tables(keyed_server, tables):
    app = client(keyed_server, "app")
    app.put_item(TableName="app_orders", Item={"pk": {"S": "c"}})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        app.get_item(TableName="billing", Key={"pk": {"S": "a"}})
    code, message = denied(e)
    assert code == "AccessDeniedException"
    assert "dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/billing" \
        in message
    with pytest.raises(botocore.exceptions.ClientError) as e:
        app.batch_write_item(RequestItems={
            "app_orders": [{"PutRequest": {"Item": {"pk": {"S": "d"}}}}],
            "billing": [{"PutRequest": {"Item": {"pk": {"S": "d"}}}}]})
    assert denied(e)[0] == "AccessDeniedException"
    admin = client(keyed_server, "admin")
    assert "Item" not in admin.get_item(TableName="app_orders", Key={"pk": {"S": "d"}})


def test_partiql_statements_count_the_tables_they_name(keyed_server, tables):
    app = client(keyed_server, "app")
    assert app.execute_statement(
        Statement="SELECT * FROM \"app_orders\" WHERE pk = 'a'")["Items"]
    for call in (
            lambda: app.execute_statement(Statement="SELECT * FROM billing WHERE pk = 'a'"),
            lambda: app.batch_execute_statement(Statements=[
                {"Statement": "SELECT * FROM app_orders WHERE pk = 'a'"},
                {"Statement": "SELECT * FROM \"billing\" WHERE pk = 'a'"}]),
            lambda: app.execute_transaction(TransactStatements=[
                {"Statement": "DELETE FROM billing WHERE pk = 'a'"}])):
        assert_denied_on(call, "table/billing")
    admin = client(keyed_server, "admin")
    assert "Item" in admin.get_item(TableName="billing", Key={"pk": {"S": "a"}})


def test_transactions_count_the_tables_of_their_items(keyed_server, tables):
    app = client(keyed_server, "app")
    app.transact_get_items(TransactItems=[
        {"Get": {"TableName": "app_orders", "Key": {"pk": {"S": "a"}}}}])
    for call in (
            lambda: app.transact_write_items(TransactItems=[
                {"Put": {"TableName": "app_orders", "Item": {"pk": {"S": "t"}}}},
                {"Delete": {"TableName": "billing", "Key": {"pk": {"S": "a"}}}}]),
            lambda: app.transact_write_items(TransactItems=[
                {"Update": {"TableName": "billing", "Key": {"pk": {"S": "a"}},
                            "UpdateExpression": "SET v = :v",
                            "ExpressionAttributeValues": {":v": {"S": "x"}}}}]),
            lambda: app.transact_write_items(TransactItems=[
                {"Put": {"TableName": "app_orders", "Item": {"pk": {"S": "t"}}}},
                {"ConditionCheck": {"TableName": "billing", "Key": {"pk": {"S": "a"}},
                                    "ConditionExpression": "attribute_exists(pk)"}}]),
            lambda: app.transact_get_items(TransactItems=[
                {"Get": {"TableName": "app_orders", "Key": {"pk": {"S": "a"}}}},
                {"Get": {"TableName": "billing", "Key": {"pk": {"S": "a"}}}}])):
        assert_denied_on(call, "table/billing")
    admin = client(keyed_server, "admin")
    assert "Item" in admin.get_item(TableName="billing", Key={"pk": {"S": "a"}})
    assert "v" not in admin.get_item(TableName="billing", Key={"pk": {"S": "a"}})["Item"]
    assert "Item" not in admin.get_item(TableName="app_orders", Key={"pk": {"S": "t"}})


def test_a_stream_belongs_to_its_table(keyed_server, tables):
    admin = client(keyed_server, "admin")
    arn = admin.update_table(
        TableName="billing",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )["TableDescription"]["LatestStreamArn"]
    app = boto3_streams(keyed_server, "app")
    try:
        for call in (lambda: app.describe_stream(StreamArn=arn),
                     lambda: app.get_shard_iterator(
                         StreamArn=arn, ShardId="shardId-00000000000000000000-00000000",
                         ShardIteratorType="TRIM_HORIZON")):
            assert_denied_on(call, "table/billing/stream/")
    finally:
        admin.update_table(TableName="billing",
                           StreamSpecification={"StreamEnabled": False})


def boto3_streams(server, key):
    return boto3.client(
        "dynamodbstreams", endpoint_url=server.endpoint, region_name="us-east-1",
        aws_access_key_id=key, aws_secret_access_key=key + "-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}))


def test_backups_are_checked_by_their_table(keyed_server, tables):
    """A backup's ARN names its table, and RestoreTableFromBackup's new table
    is checked like any other: a key limited to app_* can back up, restore
    and delete only within them."""
    app, admin = client(keyed_server, "app"), client(keyed_server, "admin")
    arn = app.create_backup(TableName="app_orders", BackupName="mine")["BackupDetails"]["BackupArn"]
    other = admin.create_backup(TableName="billing", BackupName="theirs")["BackupDetails"]["BackupArn"]
    for call, kwargs, resource in (
            (app.create_backup, {"TableName": "billing", "BackupName": "nope"},
             "arn:aws:dynamodb:us-east-1:000000000000:table/billing"),
            (app.describe_backup, {"BackupArn": other}, other),
            (app.delete_backup, {"BackupArn": other}, other),
            (app.restore_table_from_backup, {"TargetTableName": "billing_copy", "BackupArn": arn},
             "arn:aws:dynamodb:us-east-1:000000000000:table/billing_copy")):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call(**kwargs)
        code, message = denied(e)
        assert code == "AccessDeniedException"
        assert f" on resource: {resource} because " in message, message
    assert app.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupName"] == "mine"
    app.delete_backup(BackupArn=arn)
    admin.delete_backup(BackupArn=other)
