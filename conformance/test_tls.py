"""server.tls: HTTPS next to HTTP, with a self-signed certificate made here."""
import json
import os
import re
import socket
import ssl
import subprocess
import time

import boto3
import botocore.config
import pytest
from botocore.exceptions import SSLError

from conftest import make_client, new_server
from node_sdk import run_node
from raw_http import call


def make_certificate(directory):
    cert = os.path.join(directory, "tls-cert.pem")
    key = os.path.join(directory, "tls-key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", key, "-out", cert],
            check=True, capture_output=True)
    return cert, key


def tls_server(workdir, engine, certificate, private_key):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("server:\n  tls:\n    port: 0\n"
                f"    certificate: {certificate}\n    private_key: {private_key}\n")
    return srv


def tls_port(srv):
    with open(srv.log_path) as f:
        found = re.findall(r"serving TLS on 127\.0\.0\.1:(\d+)", f.read())
    assert found, open(srv.log_path).read()
    return int(found[-1])


def https_client(port, verify):
    return boto3.client(
        "dynamodb", endpoint_url=f"https://127.0.0.1:{port}", region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test", verify=verify,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))


@pytest.fixture(scope="module")
def certificate(workdir):
    return make_certificate(workdir)


@pytest.fixture(scope="module")
def both(workdir, engine, certificate):
    srv = tls_server(workdir, engine, *certificate).start()
    yield srv, tls_port(srv)
    srv.stop()


def create_table(client, name):
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])


def test_sdk_over_https_and_http_at_once(both, certificate):
    srv, port = both
    secure = https_client(port, certificate[0])
    create_table(secure, "tls_items")
    secure.put_item(TableName="tls_items", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    got = secure.get_item(TableName="tls_items", Key={"pk": {"S": "a"}})
    assert got["Item"] == {"pk": {"S": "a"}, "v": {"N": "1"}}
    # The same table over plain HTTP, while the TLS port serves.
    plain = make_client(srv.endpoint)
    plain.put_item(TableName="tls_items", Item={"pk": {"S": "b"}})
    assert secure.get_item(TableName="tls_items", Key={"pk": {"S": "b"}})["Item"]
    assert plain.get_item(TableName="tls_items", Key={"pk": {"S": "a"}})["Item"]


def test_client_not_trusting_the_certificate_fails_the_handshake(both):
    _, port = both
    with pytest.raises(SSLError):
        https_client(port, True).list_tables()


def test_garbage_and_plain_http_on_the_tls_port_do_not_hurt_the_server(both, certificate):
    srv, port = both
    for junk in (b"\x00\xff garbage\r\n\r\n" * 10,
                 b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(junk)
            # The server ends the connection; whatever it sent is not HTTP.
            received = b""
            while chunk := s.recv(4096):
                received += chunk
            assert not received.startswith(b"HTTP/")
    assert srv.proc.poll() is None
    assert call(srv, "ListTables", {})[0] == 200
    assert "TableNames" in https_client(port, certificate[0]).list_tables()


def test_a_bare_tls_connection_speaks_http_1_1(both, certificate):
    _, port = both
    context = ssl.create_default_context(cafile=certificate[0])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 ")


def test_aws_cli_with_ca_bundle(both, certificate):
    _, port = both
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION="us-east-1", AWS_DEFAULT_OUTPUT="json", AWS_PAGER="")
    out = subprocess.run(
        ["aws", "dynamodb", "list-tables", "--endpoint-url", f"https://localhost:{port}",
         "--ca-bundle", certificate[0]],
        env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "TableNames" in json.loads(out.stdout)


def test_javascript_sdk_trusting_the_certificate_through_node_extra_ca_certs(
        both, certificate, workdir):
    _, port = both
    endpoint = {"JORMUN_ENDPOINT": f"https://127.0.0.1:{port}"}
    out = run_node(["tls.mjs", "trusted"], dict(endpoint, NODE_EXTRA_CA_CERTS=certificate[0]))
    assert out.returncode == 0, out.stdout + out.stderr
    # Trusting another self-signed certificate for the same names is no trust
    # in the server's.
    other = os.path.join(workdir, "other-ca")
    os.makedirs(other, exist_ok=True)
    out = run_node(["tls.mjs", "untrusted"],
                   dict(endpoint, NODE_EXTRA_CA_CERTS=make_certificate(other)[0]))
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("key,fix", [
    ("server.tls.certificate", lambda cert, key, d: (os.path.join(d, "missing.pem"), key)),
    ("server.tls.private_key", lambda cert, key, d: (cert, os.path.join(d, "missing.pem"))),
    ("server.tls.certificate", lambda cert, key, d: (key, key)),
    ("server.tls.private_key", lambda cert, key, d: (cert, cert)),
])
def test_unusable_certificate_or_key_stops_start_up_naming_the_key(
        workdir, engine, certificate, key, fix):
    cert, private_key = fix(*certificate, workdir)
    status, out = tls_server(workdir, engine, cert, private_key).start_refused()
    assert status == 2, out
    assert key in out
