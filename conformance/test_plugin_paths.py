"""Engine plugins named by a path: resolved against the config file's
folder and recorded absolute in the catalog; a table whose recorded plugin
cannot be loaded at start-up stops the server (exit 3), naming the table and
the path."""
import json
import os
import shutil
import uuid

import pytest

from conftest import BINARY, Server, create_hash_table

pytestmark = pytest.mark.once


def write_config(path, with_copy):
    lines = ["engines:", "  rocksdb:", "    plugin: rocksdb"]
    if with_copy:
        lines += ["  copy:", "    plugin: ./plugins/jormun_sqlite_copy.so"]
    lines += ["tables:", "  default: rocksdb", "  rules:"]
    if with_copy:
        lines += ['    - match: "copied"', "      engine: copy"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


@pytest.fixture
def copied(workdir):
    """A server whose table "copied" lives on a copy of the SQLite plugin
    named relative to the config file, stopped; its folder and server."""
    folder = os.path.join(workdir, "plugin-paths-" + uuid.uuid4().hex[:8])
    os.makedirs(os.path.join(folder, "plugins"))
    shutil.copy(os.path.join(os.path.dirname(BINARY), "jormun_sqlite.so"),
                os.path.join(folder, "plugins", "jormun_sqlite_copy.so"))
    config = os.path.join(folder, "jormun.yaml")
    write_config(config, with_copy=True)
    srv = Server(os.path.join(folder, "data"), config)
    srv.start()
    try:
        create_hash_table(srv.client(), "copied")
        srv.client().put_item(TableName="copied", Item={"pk": {"S": "a"}})
    finally:
        srv.stop()
    return folder, srv


def test_a_relative_plugin_path_is_recorded_absolute(copied):
    folder, srv = copied
    with open(os.path.join(srv.data_dir, "catalog.json")) as f:
        catalog = json.load(f)
    tables = catalog["tables"] if isinstance(catalog, dict) else catalog
    plugins = {t["name"]: t["plugin"] for t in tables}
    assert plugins["copied"] == os.path.join(folder, "plugins", "jormun_sqlite_copy.so")


def test_a_table_whose_plugin_is_gone_stops_start_up(copied):
    folder, srv = copied
    # The engine leaves the config and its copy goes: the catalog's path is
    # all that names the table's plugin.
    write_config(srv.config_path, with_copy=False)
    path = os.path.join(folder, "plugins", "jormun_sqlite_copy.so")
    os.rename(path, path + ".moved")
    status, out = srv.start_refused()
    assert status == 3, out
    assert "table 'copied'" in out, out
    assert path in out, out
    # Nothing was lost: the plugin back in place, the table serves again.
    os.rename(path + ".moved", path)
    write_config(srv.config_path, with_copy=True)
    srv.start()
    try:
        assert srv.client().get_item(TableName="copied",
                                     Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}
    finally:
        srv.stop()


def test_a_configured_engine_whose_plugin_is_gone_is_a_config_error(copied):
    folder, srv = copied
    # The config still names the engine: its own check, before any table,
    # calls the configuration wrong (exit 2), naming the engine and the file.
    path = os.path.join(folder, "plugins", "jormun_sqlite_copy.so")
    os.rename(path, path + ".moved")
    status, out = srv.start_refused()
    assert status == 2, out
    assert "engine 'copy'" in out and path in out, out
