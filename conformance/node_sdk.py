"""Runs the scripts of conformance/js, which use the AWS SDK for JavaScript
v3, with node; installs their npm dependencies on first use."""
import os
import subprocess

from conftest import ROOT

JS = os.path.join(ROOT, "conformance", "js")


def run_node(args, env):
    """The finished `node ARGS` in conformance/js, with `env` added to this
    process's environment."""
    modules = os.path.join(JS, "node_modules", "@aws-sdk")
    if not all(os.path.isdir(os.path.join(modules, m))
               for m in ("client-dynamodb", "client-dynamodb-streams")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, check=True,
                       capture_output=True, timeout=600)
    return subprocess.run(["node"] + args, cwd=JS, env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=300)
