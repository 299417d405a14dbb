"""SigV4 verification (auth.mode sigv4) through real clients: boto3, the AWS
CLI and the JavaScript SDK sign, and the server checks the signature, its
scope, its date and the key with DynamoDB's errors."""
import datetime
import http.client
import json
import os
import subprocess

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.exceptions
import pytest

from conftest import ROOT, Server, write_config
from node_sdk import run_node
from raw_http import call

EXAMPLE_ID = "jormun-example"
EXAMPLE_SECRET = "jormun-example-secret"


@pytest.fixture(scope="module")
def signed_server(workdir, engine):
    """A server verifying signatures, with the example key of
    config/example-sigv4.yaml and a second key whose secret comes from the
    environment."""
    cfg = os.path.join(workdir, "config-sigv4.yaml")
    write_config(cfg, engine)
    with open(cfg, "a") as f:
        f.write("auth:\n  mode: sigv4\n  keys:\n"
                f"    - {{access_key_id: {EXAMPLE_ID}, secret: {EXAMPLE_SECRET}}}\n"
                "    - {access_key_id: env-key, secret_env: JORMUN_TEST_KEY_SECRET}\n")
    os.environ["JORMUN_TEST_KEY_SECRET"] = "secret-from-environment"
    try:
        s = Server(os.path.join(workdir, "data-sigv4"), cfg).start()
    finally:
        del os.environ["JORMUN_TEST_KEY_SECRET"]
    yield s
    s.stop()


def client(server, key_id=EXAMPLE_ID, secret=EXAMPLE_SECRET, region="us-east-1"):
    return boto3.client(
        "dynamodb", endpoint_url=server.endpoint, region_name=region,
        aws_access_key_id=key_id, aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], err.get("Message", "")


def test_the_right_key_works(signed_server, table_name):
    ddb = client(signed_server)
    ddb.create_table(TableName=table_name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=table_name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    assert ddb.get_item(TableName=table_name, Key={"pk": {"S": "a"}})["Item"]["v"] == {"N": "1"}
    other = client(signed_server, "env-key", "secret-from-environment")
    assert table_name in other.list_tables()["TableNames"]
    ddb.delete_table(TableName=table_name)


def test_wrong_secret_is_invalid_signature(signed_server):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client(signed_server, secret="not-the-secret").list_tables()
    code, message = error_of(e)
    assert code == "InvalidSignatureException"
    assert message.startswith(
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service "
        "documentation for details.\n\nThe Canonical String for this request should have "
        "been\n'POST\n/\n")


def test_unknown_key_is_unrecognized_client(signed_server):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client(signed_server, key_id="stranger").list_tables()
    assert error_of(e) == ("UnrecognizedClientException",
                           "The security token included in the request is invalid.")


def test_credential_for_another_region_is_refused(signed_server):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client(signed_server, region="eu-west-1").list_tables()
    assert error_of(e) == ("InvalidSignatureException",
                           "Credential should be scoped to a valid region, not 'eu-west-1'. ")


def signed_at(server, when, secret=EXAMPLE_SECRET):
    """Sends ListTables signed by botocore's own signer as of `when`."""
    class FixedClock(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    request = botocore.awsrequest.AWSRequest(
        method="POST", url=server.endpoint + "/", data=b"{}",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": "DynamoDB_20120810.ListTables"})
    signer = botocore.auth.SigV4Auth(
        botocore.credentials.Credentials(EXAMPLE_ID, secret), "dynamodb", "us-east-1")
    real = botocore.auth.datetime.datetime
    botocore.auth.datetime.datetime = FixedClock
    try:
        signer.add_auth(request)
    finally:
        botocore.auth.datetime.datetime = real
    headers = {k: v for k, v in request.headers.items()}
    status, _, body = call(server, "ListTables", {}, headers=headers)
    return status, json.loads(body)


def test_signature_from_twenty_minutes_ago_has_expired(signed_server):
    now = datetime.datetime.utcnow()
    status, body = signed_at(signed_server, now - datetime.timedelta(minutes=20))
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#InvalidSignatureException"
    assert body["message"].startswith("Signature expired: ")
    assert body["message"].endswith(" - 15 min.)")


def test_signature_from_twenty_minutes_ahead_is_not_yet_current(signed_server):
    now = datetime.datetime.utcnow()
    status, body = signed_at(signed_server, now + datetime.timedelta(minutes=20))
    assert status == 400
    assert body["message"].startswith("Signature not yet current: ")
    assert body["message"].endswith(" + 15 min.)")


def test_botocore_signature_of_now_is_accepted(signed_server):
    status, body = signed_at(signed_server, datetime.datetime.utcnow())
    assert status == 200, body
    assert "TableNames" in body


def test_missing_signature_is_still_missing_token(signed_server):
    status, _, body = call(signed_server, "ListTables", {}, headers={"Authorization": None})
    assert status == 400
    assert json.loads(body)["__type"] == \
        "com.amazon.coral.service#MissingAuthenticationTokenException"


def test_aws_cli_with_the_example_config(workdir, engine):
    """config/example-sigv4.yaml as shipped (only port and data directory
    overridden), driven by the AWS CLI with the example key."""
    server = Server(os.path.join(workdir, "data-example-sigv4"),
                    os.path.join(ROOT, "config", "example-sigv4.yaml")).start()
    try:
        env = dict(os.environ, AWS_ACCESS_KEY_ID=EXAMPLE_ID,
                   AWS_SECRET_ACCESS_KEY=EXAMPLE_SECRET, AWS_DEFAULT_REGION="us-east-1")
        out = subprocess.run(["aws", "dynamodb", "list-tables", "--endpoint-url",
                              server.endpoint], env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["TableNames"] == []
        env["AWS_SECRET_ACCESS_KEY"] = "wrong"
        out = subprocess.run(["aws", "dynamodb", "list-tables", "--endpoint-url",
                              server.endpoint], env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode != 0
        assert "InvalidSignatureException" in out.stderr
    finally:
        server.stop()


def test_javascript_sdk_signs_with_the_example_key(signed_server):
    out = run_node(["--test", "smoke.test.mjs"],
                   {"JORMUN_ENDPOINT": signed_server.endpoint,
                    "JORMUN_ACCESS_KEY_ID": EXAMPLE_ID,
                    "JORMUN_SECRET_ACCESS_KEY": EXAMPLE_SECRET})
    assert out.returncode == 0, out.stdout + out.stderr


def test_presigned_url_is_refused_clearly(signed_server):
    conn = http.client.HTTPConnection("127.0.0.1", signed_server.port, timeout=30)
    conn.request("POST", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", body="{}",
                 headers={"Content-Type": "application/x-amz-json-1.0",
                          "X-Amz-Target": "DynamoDB_20120810.ListTables"})
    resp = conn.getresponse()
    body = json.loads(resp.read())
    conn.close()
    assert resp.status == 400
    assert body["__type"] == "com.amazon.coral.service#MissingAuthenticationTokenException"
    assert "presigned URLs" in body["message"]
