"""Tags: TagResource, UntagResource and ListTagsOfResource by table ARN,
CreateTable's Tags, DynamoDB's limits and texts, per-key permissions on the
ARN, and tags kept across a restart. Raw JSON where DynamoDB's answer to what
an SDK never sends is the point."""
import json
import os

import botocore.exceptions
import pytest

from conftest import Server, error_of, make_client, new_server, write_config
from node_sdk import run_node
import raw_http

INVALID = "One or more parameter values were invalid: "
NOT_FOUND = "Requested resource not found: ResourceArn: {} not found"


def arn_of(name):
    return f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"


def tags_of(ddb, name):
    return {t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=arn_of(name))["Tags"]}


def raw(server, target, body):
    status, _, data = raw_http.call(server, target, body)
    return status, json.loads(data) if data else None


def raw_error(server, target, body):
    status, answer = raw(server, target, body)
    assert status == 400, answer
    return answer["__type"].split("#")[-1], answer.get("message", answer.get("Message"))


def fails(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error_of(e)


def test_tag_list_untag(ddb, server, hash_table):
    arn = ddb.describe_table(TableName=hash_table)["Table"]["TableArn"]
    assert arn == arn_of(hash_table)
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    tags = [{"Key": "env", "Value": "test"}, {"Key": " ", "Value": "9"},
            {"Key": "ключ", "Value": ""}, {"Key": "a+b-c=d.e_f:g/h@i", "Value": "x y"}]
    ddb.tag_resource(ResourceArn=arn, Tags=tags)
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == tags
    # An existing key takes the new value; UntagResource of absent keys is fine.
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    ddb.untag_resource(ResourceArn=arn, TagKeys=[" ", "absent"])
    assert tags_of(ddb, hash_table) == {"env": "prod", "ключ": "",
                                        "a+b-c=d.e_f:g/h@i": "x y"}


def test_tag_and_untag_answer_an_empty_body(server, hash_table):
    for target, body in (("TagResource", {"ResourceArn": arn_of(hash_table),
                                          "Tags": [{"Key": "k", "Value": "v"}]}),
                         ("UntagResource", {"ResourceArn": arn_of(hash_table),
                                            "TagKeys": ["k"]})):
        status, _, data = raw_http.call(server, target, body)
        assert (status, data) == (200, b"")


def test_create_table_with_tags(ddb, table_name):
    ddb.create_table(TableName=table_name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST",
                     Tags=[{"Key": "team", "Value": "core"}, {"Key": "cost", "Value": "1"}])
    try:
        assert ddb.list_tags_of_resource(ResourceArn=arn_of(table_name))["Tags"] == [
            {"Key": "team", "Value": "core"}, {"Key": "cost", "Value": "1"}]
    finally:
        ddb.delete_table(TableName=table_name)


@pytest.mark.parametrize("tags, message", [
    ([{"Key": str(i), "Value": ""} for i in range(51)],
     "Number of Tags exceed the current limit for the provided ResourceArn"),
    ([{"Key": "aws:x", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: aws:x"),
    ([{"Key": "k", "Value": "100%"}], "The Tag Value provided is invalid, Value: 100%"),
])
def test_create_table_with_bad_tags_creates_nothing(ddb, table_name, tags, message):
    assert fails(ddb.create_table, TableName=table_name,
                 KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                 BillingMode="PAY_PER_REQUEST", Tags=tags) == ("ValidationException", message)
    assert fails(ddb.describe_table, TableName=table_name)[0] == "ResourceNotFoundException"


@pytest.mark.parametrize("tags, message", [
    ([], "Atleast one Tag needs to be provided as Input."),
    ([{"Key": "", "Value": "v"}], "The Tag Key provided is invalid, Key: "),
    ([{"Key": "k" * 129, "Value": "v"}], "The Tag Key provided is invalid, Key: " + "k" * 129),
    ([{"Key": "hi!", "Value": "v"}], "The Tag Key provided is invalid, Key: hi!"),
    ([{"Key": "k", "Value": "v" * 257}], "The Tag Value provided is invalid, Value: " + "v" * 257),
    ([{"Key": "k"}], "The Tag Value provided is invalid, Value: null"),
    ([{"Value": "v"}], "The Tag Key provided is invalid, Key: null"),
    ([{"Key": "ok", "Value": "1"}, {"Key": "aws:zzz", "Value": "2"}],
     "Tag Key cannot be prefixed with aws:, Key: aws:zzz"),
    ([{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}],
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"),
])
def test_tag_refusals_change_nothing(ddb, hash_table, tags, message):
    assert fails(ddb.tag_resource, ResourceArn=arn_of(hash_table), Tags=tags) == (
        "ValidationException", message)
    assert tags_of(ddb, hash_table) == {}


def test_fifty_tags_after_the_merge(ddb, hash_table):
    arn = arn_of(hash_table)
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": str(i), "Value": ""} for i in range(30)])
    # Twenty new and ten existing keys make fifty: accepted.
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": str(i), "Value": "x"} for i in range(20, 50)])
    listed = ddb.list_tags_of_resource(ResourceArn=arn)
    assert len(listed["Tags"]) == 50 and "NextToken" not in listed
    assert fails(ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "one_more", "Value": ""}]) == (
        "ValidationException",
        "Number of Tags exceed the current limit for the provided ResourceArn")
    assert len(tags_of(ddb, hash_table)) == 50


def test_untag_refusals(ddb, hash_table):
    arn = arn_of(hash_table)
    assert fails(ddb.untag_resource, ResourceArn=arn, TagKeys=[]) == (
        "ValidationException", "Atleast one Tag Key needs to be provided as Input.")
    assert fails(ddb.untag_resource, ResourceArn=arn, TagKeys=["ok", ""]) == (
        "ValidationException", "The Tag Key provided is invalid, Key: ")
    assert fails(ddb.untag_resource, ResourceArn=arn, TagKeys=[str(i) for i in range(51)]) == (
        "ValidationException",
        "Number of Tags exceed the current limit for the provided ResourceArn")


@pytest.mark.parametrize("target, extra", [
    ("TagResource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("UntagResource", {"TagKeys": ["k"]}),
    ("ListTagsOfResource", {}),
])
def test_resource_arn_refusals(server, target, extra):
    cases = [
        ("I_do_not_exist", "ValidationException",
         INVALID + "ARNs must start with 'arn:': I_do_not_exist"),
        ("arn:aws:s3:::bucket", "ValidationException",
         INVALID + "Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket"),
        ("arn:aws:dynamodb:eu-west-1:000000000000:table/t12", "ValidationException",
         "Invalid TableArn: Invalid ResourceArn provided as input "
         "arn:aws:dynamodb:eu-west-1:000000000000:table/t12"),
        (arn_of("t12") + "/index/gsi", "ValidationException",
         INVALID + "Invalid resource arn provided, only table or stream is accepted. "
         "Provided resource arn: " + arn_of("t12") + "/index/gsi"),
        (arn_of("no_such_table_here"), "ResourceNotFoundException",
         NOT_FOUND.format(arn_of("no_such_table_here"))),
    ]
    for arn, code, message in cases:
        assert raw_error(server, target, dict(extra, ResourceArn=arn)) == (code, message), arn


def test_member_order(server, hash_table):
    # ResourceArn is read before anything else; then the members; then the ARN.
    for target in ("TagResource", "UntagResource", "ListTagsOfResource"):
        assert raw_error(server, target, {}) == ("ValidationException", "Invalid TableArn")
    assert raw_error(server, "TagResource", {"ResourceArn": "a:b:c:d:e:f/g"}) == (
        "ValidationException", "1 validation error detected: Value null at 'tags' failed to "
        "satisfy constraint: Member must not be null")
    assert raw_error(server, "UntagResource", {"ResourceArn": arn_of(hash_table)}) == (
        "ValidationException", "1 validation error detected: Value null at 'tagKeys' failed "
        "to satisfy constraint: Member must not be null")
    # An empty Tags list is refused before the table is looked for.
    assert raw_error(server, "TagResource", {"ResourceArn": arn_of("missing_t"), "Tags": []}) == (
        "ValidationException", "Atleast one Tag needs to be provided as Input.")
    assert raw_error(server, "TagResource", {"ResourceArn": arn_of(hash_table), "Tags": {}})[0] \
        == "SerializationException"


def test_list_next_token(server, hash_table):
    assert raw_error(server, "ListTagsOfResource",
                     {"ResourceArn": arn_of(hash_table), "NextToken": "nope"}) == (
        "ValidationException", "Invalid NextToken: nope")
    assert raw(server, "ListTagsOfResource",
               {"ResourceArn": arn_of(hash_table), "NextToken": "0"}) == (200, {"Tags": []})


def test_tags_survive_a_restart(workdir, engine):
    srv = new_server(workdir, engine).start()
    try:
        ddb = srv.client()
        ddb.create_table(TableName="tagged", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST", Tags=[{"Key": "a", "Value": "1"}])
        ddb.tag_resource(ResourceArn=arn_of("tagged"), Tags=[{"Key": "b", "Value": "2"}])
        srv.stop()
        srv.start()
        assert tags_of(srv.client(), "tagged") == {"a": "1", "b": "2"}
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def keyed_server(workdir, engine):
    cfg = os.path.join(workdir, "config-tag-permissions.yaml")
    write_config(cfg, engine)
    with open(cfg, "a") as f:
        f.write("""auth:
  mode: sigv4
  keys:
    - {access_key_id: admin, secret: admin-secret}
    - {access_key_id: app, secret: app-secret, tables: ["app_*"]}
    - {access_key_id: lister, secret: lister-secret, actions: [ListTagsOfResource]}
""")
    s = Server(os.path.join(workdir, "data-tag-permissions"), cfg).start()
    admin = make_client(s.endpoint, "admin", "admin-secret")
    for name in ("app_tagged", "other_tagged"):
        admin.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           BillingMode="PAY_PER_REQUEST")
    yield s
    s.stop()


def test_permissions_follow_the_arn(keyed_server):
    app = make_client(keyed_server.endpoint, "app", "app-secret")
    app.tag_resource(ResourceArn=arn_of("app_tagged"), Tags=[{"Key": "k", "Value": "v"}])
    assert fails(app.tag_resource, ResourceArn=arn_of("other_tagged"),
                 Tags=[{"Key": "k", "Value": "v"}]) == (
        "AccessDeniedException",
        "User: arn:aws:iam::000000000000:user/app is not authorized to perform: "
        "dynamodb:TagResource on resource: " + arn_of("other_tagged") +
        " because no identity-based policy allows the dynamodb:TagResource action")
    lister = make_client(keyed_server.endpoint, "lister", "lister-secret")
    assert lister.list_tags_of_resource(ResourceArn=arn_of("app_tagged"))["Tags"] == [
        {"Key": "k", "Value": "v"}]
    code, message = fails(lister.untag_resource, ResourceArn=arn_of("app_tagged"), TagKeys=["k"])
    assert code == "AccessDeniedException"
    assert "dynamodb:UntagResource on resource: " + arn_of("app_tagged") in message


def test_javascript_sdk(server):
    out = run_node(["--test", "tags.test.mjs"], {"JORMUN_ENDPOINT": server.endpoint})
    assert out.returncode == 0, out.stdout + out.stderr
