"""Runs the AWS SDK for JavaScript v3 tests (conformance/js) against the
server under test."""
import os
import subprocess

from conftest import ROOT

JS = os.path.join(ROOT, "conformance", "js")


def run_node_test(server, script):
    if not os.path.isdir(os.path.join(JS, "node_modules", "@aws-sdk", "client-dynamodb")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, check=True,
                       capture_output=True, timeout=600)
    env = dict(os.environ, JORMUN_ENDPOINT=server.endpoint)
    out = subprocess.run(["node", "--test", script], cwd=JS, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def test_javascript_sdk_smoke(server):
    run_node_test(server, "smoke.test.mjs")


def test_javascript_sdk_transactions(server):
    run_node_test(server, "transact.test.mjs")
