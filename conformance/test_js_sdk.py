"""Runs the AWS SDK for JavaScript v3 smoke test (conformance/js) against the
server under test."""
from node_sdk import run_node


def test_javascript_sdk_smoke(server):
    out = run_node(["--test", "smoke.test.mjs"], {"JORMUN_ENDPOINT": server.endpoint})
    assert out.returncode == 0, out.stdout + out.stderr
