"""Safe defaults: no unauthenticated server on a non-loopback address unless
the config says so, and a loopback server answers only requests that name it
(DNS rebinding)."""
import json
import os
import subprocess

from conftest import BINARY, write_config
from raw_http import call


def run_briefly(workdir, args, extra_config=""):
    cfg = os.path.join(workdir, "config-exposure.yaml")
    write_config(cfg, "rocksdb")
    with open(cfg, "a") as f:
        f.write(extra_config)
    return subprocess.run([BINARY, "--config", cfg, "--port", "0",
                           "--data-dir", os.path.join(workdir, "data-exposure")] + args,
                          capture_output=True, text=True, timeout=60)


def test_non_loopback_without_auth_refuses_to_start(workdir):
    # 192.0.2.1 (TEST-NET-1) is on no interface here: were the check missing,
    # binding would fail too, but with exit status 1 and without the reason.
    out = run_briefly(workdir, ["--host", "192.0.2.1"])
    assert out.returncode == 2, out.stderr
    assert ("server.host: 192.0.2.1 is not a loopback address and auth.mode is none"
            in out.stderr)
    assert "auth.allow_unauthenticated: true" in out.stderr


def test_foreign_host_header_is_refused_on_loopback(server):
    status, _, body = call(server, "ListTables", {}, headers={"Host": "evil.example:8002"})
    assert status == 400
    doc = json.loads(body)
    assert doc["__type"] == "com.amazon.coral.service#AccessDeniedException"
    assert "Host header 'evil.example:8002'" in doc["message"]


def test_loopback_names_are_accepted(server):
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", "[::1]:8002",
                 "LOCALHOST"):
        status, _, body = call(server, "ListTables", {}, headers={"Host": host})
        assert status == 200, (host, body)

