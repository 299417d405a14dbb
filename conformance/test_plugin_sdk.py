"""The plugin SDK as a third party meets it: examples/engine-memory, built
outside the tree against an installed prefix only (find_package(Jormun), and
by hand with pkg-config), passes the installed jormun-engine-check, and the
installed server serves a table on it.

The engine under test (--engine) is only the default of the server's other
tables, so this runs once, with --engine rocksdb."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import BINARY, ROOT, Server
from raw_http import call

EXAMPLE = os.path.join(ROOT, "examples", "engine-memory")

pytestmark = pytest.mark.once


def run(args, **kwargs):
    """Runs a command, failing the test with its output when it fails."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, (f"{args} exited {done.returncode}:\n"
                                  f"{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="module")
def prefix(workdir, engine):
    path = os.path.join(workdir, "sdk-prefix")
    build = os.path.dirname(os.path.dirname(BINARY))
    run(["cmake", "--install", build, "--prefix", path])
    return path


@pytest.fixture(scope="module")
def example_build(workdir, prefix):
    """The example, configured and built in a folder of its own, seeing the
    prefix and nothing of the source tree's build."""
    build = os.path.join(workdir, "engine-memory-build")
    run(["cmake", "-S", EXAMPLE, "-B", build, f"-DCMAKE_PREFIX_PATH={prefix}",
         "-DCMAKE_BUILD_TYPE=RelWithDebInfo"])
    run(["cmake", "--build", build])
    return build


def test_the_installed_sdk_has_its_cmake_package_and_pkg_config_file(prefix):
    cmake_dir = os.path.join(prefix, "lib", "cmake", "Jormun")
    for name in ("JormunConfig.cmake", "JormunConfigVersion.cmake", "JormunTargets.cmake",
                 "JormunPlugin.cmake", "engine.map", "check_exports.cmake"):
        assert os.path.isfile(os.path.join(cmake_dir, name)), name
    for header in ("engine.h", "engine.hpp", "plugin.hpp", "write_group.hpp"):
        assert os.path.isfile(os.path.join(prefix, "include", "jormun", header)), header
    assert os.access(os.path.join(prefix, "bin", "jormun-engine-check"), os.X_OK)
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    cflags = run(["pkg-config", "--cflags", "jormun-plugin"], env=env).split()
    assert any(os.path.realpath(f[2:]) == os.path.realpath(os.path.join(prefix, "include"))
               for f in cflags if f.startswith("-I")), cflags
    script = run(["pkg-config", "--variable=version_script", "jormun-plugin"], env=env)
    assert os.path.isfile(script.strip())


def test_the_example_passes_the_installed_kit_through_ctest(prefix, example_build):
    out = run(["ctest", "--output-on-failure", "--test-dir", example_build])
    # The kit, the refusal of an unknown option and the export check.
    assert "100% tests passed, 0 tests failed out of 3" in out, out
    kit = run([os.path.join(prefix, "bin", "jormun-engine-check"),
               os.path.join(example_build, "jormun_memory.so")])
    assert "PASS exports: the plugin exports only jormun_engine_entry" in kit
    assert "PASS snapshot:" in kit and "SKIP snapshot" not in kit, kit


def test_the_example_builds_with_pkg_config_alone(workdir, prefix):
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    pc = lambda *a: run(["pkg-config", *a, "jormun-plugin"], env=env).strip()
    plugin = os.path.join(workdir, "by-hand", "jormun_memory.so")
    os.makedirs(os.path.dirname(plugin), exist_ok=True)
    run(["c++", "-std=c++20", "-O1", "-fPIC", "-shared", "-fvisibility=hidden",
         "-fvisibility-inlines-hidden", *pc("--cflags").split(),
         os.path.join(EXAMPLE, "memory_engine.cc"), "-o", plugin,
         f"-Wl,--version-script={pc('--variable=version_script')}",
         "-Wl,--exclude-libs,ALL", "-Wl,--no-undefined"])
    out = run([pc("--variable=engine_check"), plugin, "--only", "exports:"])
    assert "1 passed, 0 failed" in out, out


def test_the_installed_server_serves_a_table_on_the_example_engine(workdir, prefix,
                                                                    example_build):
    # The plugin is named by a path relative to the config file's folder.
    config_dir = os.path.join(workdir, "sdk-config")
    os.makedirs(config_dir, exist_ok=True)
    shutil.copy(os.path.join(example_build, "jormun_memory.so"), config_dir)
    config = os.path.join(config_dir, "jormun.yaml")
    with open(config, "w") as f:
        f.write("engines:\n"
                "  rocksdb:\n    plugin: rocksdb\n"
                "  memory:\n    plugin: ./jormun_memory.so\n"
                "tables:\n  default: rocksdb\n"
                "  rules:\n    - match: \"mem_*\"\n      engine: memory\n")
    srv = Server(os.path.join(workdir, "sdk-data"), config,
                 binary=os.path.join(prefix, "bin", "jormundb"))
    srv.start()
    try:
        ddb = srv.client()
        ddb.create_table(TableName="mem_items",
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                    {"AttributeName": "sk", "KeyType": "RANGE"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                               {"AttributeName": "sk", "AttributeType": "N"}],
                         BillingMode="PAY_PER_REQUEST")
        for sk in range(5):
            ddb.put_item(TableName="mem_items",
                         Item={"pk": {"S": "a"}, "sk": {"N": str(sk)}, "v": {"S": f"v{sk}"}})
        item = ddb.get_item(TableName="mem_items", Key={"pk": {"S": "a"}, "sk": {"N": "3"}})
        assert item["Item"]["v"] == {"S": "v3"}
        _, _, body = call(srv, "DescribeTable", {"TableName": "mem_items"})
        assert json.loads(body)["Table"]["JormunEngine"]["Name"] == "memory"
        # A restart replays the engine's log.
        srv.stop()
        srv.start()
        ddb = srv.client()
        got = ddb.query(TableName="mem_items", KeyConditionExpression="pk = :p",
                        ExpressionAttributeValues={":p": {"S": "a"}}, ScanIndexForward=False)
        assert [i["sk"]["N"] for i in got["Items"]] == ["4", "3", "2", "1", "0"]
    finally:
        srv.stop()
        with open(srv.log_path) as f:
            log = f.read()
    # Engines are logged at start-up with the absolute plugin path.
    assert os.path.join(config_dir, "jormun_memory.so") in log, log
