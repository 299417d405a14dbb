"""Tables on all three engines in one server, chosen by the config's rules,
a table keeps its engine when the config later says otherwise, and engine
options the engine refuses stop start-up."""
import glob
import json
import os
import subprocess

from conftest import BINARY, Server, new_server, write_config
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
                 "example-lmdb.yaml", "example-mixed.yaml", "example-postgres.yaml"):
        srv = Server(os.path.join(workdir, "shipped-" + name), os.path.join(root, "config", name))
        srv.start()
        status, _, _ = call(srv, "ListTables", {})
        assert status == 200, name
        srv.stop()


def write_engines_config(path, engines, rules):
    """engines: {name: {option: value}}, each on the plugin of its name."""
    lines = ["engines:"]
    for name, options in engines.items():
        lines += [f"  {name}:", f"    plugin: {name}"]
        if options:
            lines.append("    options:")
            lines += [f"      {k}: \"{v}\"" for k, v in options.items()]
    lines += ["tables:", "  default: rocksdb", "  rules:"]
    lines += [f"    - {{match: \"{m}\", engine: {e}}}" for m, e in rules]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def test_table_keeps_engine_and_options_when_config_drops_or_changes_them(workdir):
    data = os.path.join(workdir, "data-keeps-options")
    cfg = os.path.join(workdir, "config-keeps-options.yaml")
    write_engines_config(cfg, {"rocksdb": {}, "sqlite": {"partitions": 4},
                               "lmdb": {"map_size_mb": 8}},
                         [("audit_*", "sqlite"), ("cache_*", "lmdb")])
    srv = Server(data, cfg).start()
    ddb = srv.client()
    for name in ("audit_t", "cache_t"):
        ddb.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=DEFS,
                         BillingMode="PAY_PER_REQUEST")
        for i in range(30):
            ddb.put_item(TableName=name, Item={"pk": {"S": f"{name}-{i}"}})
    srv.stop()

    # sqlite now says 8 partitions (an instance made with 4 refuses that, so
    # the table must still get its own options) and lmdb is gone altogether.
    write_engines_config(cfg, {"rocksdb": {}, "sqlite": {"partitions": 8}}, [])
    srv.start()
    ddb = srv.client()
    for name, engine in (("audit_t", "sqlite"), ("cache_t", "lmdb")):
        assert engine_of(srv, name) == engine
        ddb.put_item(TableName=name, Item={"pk": {"S": f"{name}-new"}})
        assert ddb.scan(TableName=name)["Count"] == 31
    partitions = glob.glob(os.path.join(data, "tables", "audit_t", "p*.sqlite"))
    assert len(partitions) == 4, partitions
    srv.stop()


def start_status(workdir, name, engines):
    """(exit status, output) of a server start with `engines` declared."""
    cfg = os.path.join(workdir, f"config-{name}.yaml")
    write_engines_config(cfg, {"rocksdb": {}, **engines}, [])
    proc = subprocess.run(
        [BINARY, "--config", cfg, "--port", "0", "--host", "127.0.0.1",
         "--data-dir", os.path.join(workdir, "data-" + name)],
        capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


def test_refused_engine_options_stop_start_up(workdir):
    status, out = start_status(workdir, "bad-partitions",
                               {"sqlite": {"partitions": 3, "synchronous": "full"}})
    assert status == 2, out
    assert "engines.sqlite.options.partitions: " in out, out
    status, out = start_status(workdir, "misspelt", {"lmdb": {"map_sise_mb": 64}})
    assert status == 2, out
    assert "engines.lmdb.options.map_sise_mb: " in out, out
    assert "unknown option 'map_sise_mb'" in out, out
