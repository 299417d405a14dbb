"""`cmake --install` gives a server that runs from its prefix: the installed
jormundb finds the installed engine plugins without any plugin_dir."""
import json
import os
import subprocess

from conftest import BINARY, create_hash_table, new_server
from raw_http import call


def test_the_installed_server_serves_tables_on_the_installed_plugins(workdir, engine):
    build = os.path.dirname(os.path.dirname(BINARY))
    prefix = os.path.join(workdir, "prefix")
    subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                   check=True, capture_output=True, timeout=120)
    binary = os.path.join(prefix, "bin", "jormundb")
    assert os.path.islink(binary)
    for header in ("engine.h", "engine.hpp", "plugin.hpp"):
        assert os.path.isfile(os.path.join(prefix, "include", "jormun", header))
    assert os.path.isfile(os.path.join(prefix, "etc", "jormun", "jormun.yaml"))

    # The config names plugins only by name, and every configured plugin is
    # loaded at start-up, so all of them must come from the prefix.
    srv = new_server(workdir, engine, binary=binary).start()
    try:
        ddb = srv.client()
        create_hash_table(ddb, "installed")
        ddb.put_item(TableName="installed", Item={"pk": {"S": "x"}})
        assert ddb.get_item(TableName="installed", Key={"pk": {"S": "x"}})["Item"]
        _, _, body = call(srv, "DescribeTable", {"TableName": "installed"})
        assert json.loads(body)["Table"]["JormunEngine"]["Name"] == engine
    finally:
        srv.stop()
