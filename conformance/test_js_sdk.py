"""Runs the AWS SDK for JavaScript v3 tests (conformance/js) against the
server under test."""
from node_sdk import run_node


def run_node_test(server, script):
    out = run_node(["--test", script], {"JORMUN_ENDPOINT": server.endpoint})
    assert out.returncode == 0, out.stdout + out.stderr


def test_javascript_sdk_smoke(server):
    run_node_test(server, "smoke.test.mjs")


def test_javascript_sdk_transactions(server):
    run_node_test(server, "transact.test.mjs")


def test_javascript_sdk_partiql(server):
    run_node_test(server, "partiql.test.mjs")
