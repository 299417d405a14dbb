"""Runs the scripts of conformance/js, which use the AWS SDK for JavaScript
v3, with node; installs their npm dependencies on first use."""
import fcntl
import os
import subprocess

from conftest import ROOT

JS = os.path.join(ROOT, "conformance", "js")


def ensure_modules():
    """Installs conformance/js's npm dependencies unless a finished install
    of the current package-lock.json is there. The engines' runs go side by
    side and share the folder: one installs while the others wait, since an
    `npm ci` deletes node_modules before it fills it again."""
    lockfile = os.path.join(JS, "package-lock.json")
    # npm writes node_modules/.package-lock.json when an install is done.
    done = os.path.join(JS, "node_modules", ".package-lock.json")
    with open(lockfile) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(done) and os.path.getmtime(done) >= os.path.getmtime(lockfile):
            return
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, check=True,
                       capture_output=True, timeout=600)


def run_node(args, env):
    """The finished `node ARGS` in conformance/js, with `env` added to this
    process's environment."""
    ensure_modules()
    return subprocess.run(["node"] + args, cwd=JS, env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=300)
