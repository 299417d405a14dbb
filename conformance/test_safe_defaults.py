"""Safe defaults: no unauthenticated server on a non-loopback address unless
the config says so, and a loopback server answers only requests that name it
(DNS rebinding)."""
import json
import os
import subprocess

import pytest

from conftest import BINARY, new_server, write_config
from raw_http import call

REFUSED = ("Host header '{}' does not name this server, which listens on loopback: use "
           "localhost or a loopback address")


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
    assert doc["message"] == REFUSED.format("evil.example:8002")


def test_loopback_names_are_accepted(server):
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", "[::1]:8002",
                 "LOCALHOST"):
        status, _, body = call(server, "ListTables", {}, headers={"Host": host})
        assert status == 200, (host, body)



@pytest.fixture(scope="module")
def with_allowed_hosts(workdir, engine):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("server:\n  allowed_hosts: [jormun, Dev.Proxy.Example]\n")
    srv.start()
    yield srv
    srv.stop()


def test_allowed_hosts_are_accepted_in_any_case_with_any_port(with_allowed_hosts):
    for host in ("jormun", "jormun:8002", "JORMUN:1", "dev.proxy.example:443",
                 f"localhost:{with_allowed_hosts.port}"):
        status, _, body = call(with_allowed_hosts, "ListTables", {}, headers={"Host": host})
        assert status == 200, (host, body)


def test_names_not_listed_are_still_refused(with_allowed_hosts):
    for host in ("evil.example:8002", "jormun.evil.example", "proxy.example"):
        status, _, body = call(with_allowed_hosts, "ListTables", {}, headers={"Host": host})
        assert status == 400, (host, body)
        doc = json.loads(body)
        assert doc["__type"] == "com.amazon.coral.service#AccessDeniedException"
        assert doc["message"] == REFUSED.format(host)


def test_bad_allowed_hosts_entry_stops_start_up_naming_it(workdir):
    out = run_briefly(workdir, [], "server:\n  allowed_hosts: [jormun, \"jormun:8002\"]\n")
    assert out.returncode == 2, out.stderr
    assert "server.allowed_hosts[1]: 'jormun:8002' is not a host name" in out.stderr
