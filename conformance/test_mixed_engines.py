"""Tables on all three engines in one server, chosen by the config's rules,
and a table keeps its engine when the config later says otherwise."""
import json
import os

from conftest import new_server, write_config
from raw_http import call

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
DEFS = [{"AttributeName": "pk", "AttributeType": "S"}]
RULES = [("cache_*", "lmdb"), ("audit_*", "sqlite")]


def engine_of(server, table):
    _, _, body = call(server, "DescribeTable", {"TableName": table})
    return json.loads(body)["Table"]["JormunEngine"]["Name"]


def test_rules_pick_engines_and_survive_config_change(workdir):
    srv = new_server(workdir, "rocksdb", RULES).start()
    ddb = srv.client()
    expected = {"cache_users": "lmdb", "audit_log": "sqlite", "orders": "rocksdb"}
    for name in expected:
        ddb.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS,
                         BillingMode="PAY_PER_REQUEST")
        for i in range(20):
            ddb.put_item(TableName=name, Item={"pk": {"S": f"{name}-{i}"}})
    for name, engine in expected.items():
        assert engine_of(srv, name) == engine
        assert ddb.scan(TableName=name)["Count"] == 20
    srv.stop()

    # Now everything would go to sqlite; existing tables must not move.
    write_config(srv.config_path, "sqlite")
    srv.start()
    ddb = srv.client()
    for name, engine in expected.items():
        assert engine_of(srv, name) == engine
        got = ddb.get_item(TableName=name, Key={"pk": {"S": f"{name}-7"}})
        assert got["Item"]["pk"]["S"] == f"{name}-7"
    ddb.create_table(TableName="cache_new", KeySchema=KEY, AttributeDefinitions=DEFS,
                     BillingMode="PAY_PER_REQUEST")
    assert engine_of(srv, "cache_new") == "sqlite"
    log = open(srv.log_path).read()
    assert "created table cache_users on engine lmdb" in log
    srv.stop()


def test_shipped_configs_parse_and_serve(workdir):
    """config/*.yaml start a server (on a scratch port and data dir)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    from conftest import Server
    for name in ("jormun.yaml", "example-rocksdb.yaml", "example-sqlite.yaml",
                 "example-lmdb.yaml", "example-mixed.yaml"):
        srv = Server(os.path.join(workdir, "shipped-" + name), os.path.join(root, "config", name))
        srv.start()
        status, _, _ = call(srv, "ListTables", {})
        assert status == 200, name
        srv.stop()
