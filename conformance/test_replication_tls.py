"""Read replicas over HTTPS (docs/replication.md): a follower reaches a
primary serving TLS (and forwards writes to it), checking its certificate
against replication.ca_file (or the system's CA store) and the primary's
name in it; a certificate it cannot trust is logged, retried, and nothing is
copied. jormun-admin over https with --ca-file."""
import os
import subprocess
import time

import pytest

from conftest import create_table_with_gsi as create
from test_replication import (ADMIN, CATCH_UP_SECONDS, primary_server, replicated_server, status,
                              stop_all, wait_caught_up)
from test_tls import make_certificate, tls_port

pytestmark = pytest.mark.once


def certificate_for(directory, names):
    """A self-signed certificate (and its key) for the subjectAltName `names`."""
    os.makedirs(directory, exist_ok=True)
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=jormun-test", "-addext", f"subjectAltName={names}",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True)
    return cert, key


def tls_primary(workdir, certificate, private_key):
    """A primary keeping a log, serving HTTPS next to HTTP, and its TLS URL."""
    p = primary_server(workdir, extra=(
        "server:\n  tls:\n    port: 0\n"
        f"    certificate: {certificate}\n    private_key: {private_key}\n")).start()
    return p, f"https://127.0.0.1:{tls_port(p)}"


def seed(primary):
    ddb = primary.client()
    create(ddb, "items")
    for i in range(50):
        ddb.put_item(TableName="items",
                     Item={"pk": {"S": f"k{i}"}, "g": {"S": f"g{i % 3}"}, "v": {"N": str(i)}})


def test_follower_over_https_trusting_the_primary_through_ca_file(workdir):
    cert, key = make_certificate(workdir)
    p, url = tls_primary(workdir, cert, key)
    f = None
    try:
        seed(p)
        f = replicated_server(workdir, "lmdb", [f"follow: {url}", f"ca_file: {cert}",
                                                "forward_writes: true"]).start()
        wait_caught_up(p, f, ["items"])
        p.client().put_item(TableName="items", Item={"pk": {"S": "later"}, "g": {"S": "g0"}})
        # A write sent to the follower goes on to the primary over https too.
        f.client().put_item(TableName="items", Item={"pk": {"S": "fw"}, "g": {"S": "g1"}})
        assert p.client().get_item(TableName="items", Key={"pk": {"S": "fw"}})["Item"]
        wait_caught_up(p, f, ["items"])
        s = status(f)
        assert s["Primary"] == url and s["Tables"][0]["State"] == "FOLLOWING"
        # jormun-admin over https, trusting the certificate, and not.
        r = subprocess.run([ADMIN, "--endpoint", url, "--ca-file", cert, "replication", "status"],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "PRIMARY" in r.stdout, r.stderr
        r = subprocess.run([ADMIN, "--endpoint", url, "replication", "status"],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1
        assert "is refused: self-signed certificate" in r.stderr
    finally:
        stop_all(*(s for s in (f, p) if s))


CASES = {
    # case: (the certificate's names, what the follower trusts, the host it follows, why)
    "system store": ("DNS:localhost,IP:127.0.0.1", "system", "127.0.0.1",
                     "self-signed certificate"),
    "another CA": ("DNS:localhost,IP:127.0.0.1", "other", "127.0.0.1",
                   "self-signed certificate"),
    "wrong address": ("DNS:db.example", "it", "127.0.0.1", "IP address mismatch"),
    "wrong name": ("DNS:db.example,IP:127.0.0.1", "it", "localhost", "hostname mismatch"),
}


@pytest.mark.parametrize("case", CASES)
def test_follower_refuses_a_certificate_it_cannot_trust(workdir, case):
    names, trusted, host, reason = CASES[case]
    cert, key = certificate_for(os.path.join(workdir, f"primary-{case}"), names)
    lines = {"system": [],
             "other": [f"ca_file: {certificate_for(os.path.join(workdir, 'other'), names)[0]}"],
             "it": [f"ca_file: {cert}"]}[trusted]
    p, url = tls_primary(workdir, cert, key)
    url = url.replace("127.0.0.1", host)
    f = None
    try:
        seed(p)
        f = replicated_server(workdir, "sqlite", [f"follow: {url}", *lines]).start()
        refusal = f"the TLS certificate of {host}:{url.rsplit(':', 1)[1]} is refused: "
        # It keeps trying: the refusal is logged once per attempt.
        deadline, text = time.time() + CATCH_UP_SECONDS, ""
        while time.time() < deadline:
            with open(f.log_path) as log:
                text = log.read()
            if text.count(refusal) >= 2:
                break
            time.sleep(0.1)
        assert text.count(refusal) >= 2, text[-3000:]
        assert refusal + reason in text
        # Nothing was copied, and it still serves (reads of nothing).
        assert f.client().list_tables()["TableNames"] == []
        assert status(f)["Tables"] == []
    finally:
        stop_all(*(s for s in (f, p) if s))


def test_a_ca_file_without_certificates_stops_start_up(workdir):
    srv = replicated_server(workdir, "sqlite", ["follow: https://127.0.0.1:1", "ca_file: /dev/null"])
    code, out = srv.start_refused()
    assert code != 0
    assert "replication.ca_file: cannot load CA certificates from /dev/null" in out
