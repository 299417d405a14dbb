"""Runs the real jormundb binary and hands tests real SDK clients.

The engine under test comes from --engine (rocksdb, sqlite, lmdb, postgres);
every table the tests create lives on it. Each test session starts one server
on a free port with a fresh data directory. For postgres, the session also
starts a throwaway PostgreSQL (scripts/postgres.sh) unless
JORMUN_PG_CONNINFO says one runs already; the servers reach it through the
PG* variables, libpq's defaults and so the engine's.
"""
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid

import boto3
import botocore.config
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("JORMUN_BIN", os.path.join(ROOT, "build", "bin", "jormundb"))
# postgres last: test_backups takes the first other engines as sources.
ENGINES = ("rocksdb", "sqlite", "lmdb", "postgres")
PG_SCRIPT = os.path.join(ROOT, "scripts", "postgres.sh")


def pytest_addoption(parser):
    parser.addoption("--engine", default="rocksdb", choices=ENGINES,
                     help="the engine every test table lives on")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "once: does not depend on --engine; collected only in the rocksdb run")
    config.addinivalue_line(
        "markers", "postgres: about the postgres engine only; collected only in its run")
    if config.getoption("--engine") == "postgres" and not os.environ.get("JORMUN_PG_CONNINFO"):
        start_postgres(config)


def start_postgres(config):
    """A PostgreSQL for this session, its PG* variables set in os.environ
    (inherited by every server the tests start), stopped at the end."""
    pg_dir = tempfile.mkdtemp(prefix="jormun-conformance-pg-")
    out = subprocess.run(["bash", PG_SCRIPT, "start", pg_dir], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        key, _, value = line.partition("=")
        os.environ[key] = value
    os.environ["JORMUN_PG_DIR"] = pg_dir
    config._jormun_pg_dir = pg_dir


def pytest_unconfigure(config):
    pg_dir = getattr(config, "_jormun_pg_dir", None)
    if pg_dir:
        subprocess.run(["bash", PG_SCRIPT, "stop", pg_dir], check=False)
        shutil.rmtree(pg_dir, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Tests marked `once` run in one of the engines' runs, not in each: the
    other runs deselect them (they are not skipped). Tests marked `postgres`
    run in the postgres run only."""
    engine = config.getoption("--engine")

    def unwanted(item):
        return ((engine != "rocksdb" and item.get_closest_marker("once")) or
                (engine != "postgres" and item.get_closest_marker("postgres")))

    dropped = [item for item in items if unwanted(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not unwanted(item)]


def write_config(path, default_engine, rules=(), durable=False):
    """A config declaring every engine, with `default_engine` as default;
    with `durable`, every engine syncs each write before answering."""
    lines = ["engines:"]
    for name in ENGINES:
        lines += [f"  {name}:", f"    plugin: {name}"]
        if durable:
            lines.append("    durable: true")
    lines += ["tables:", f"  default: {default_engine}", "  rules:"]
    for match, engine in rules:
        lines += [f"    - match: \"{match}\"", f"      engine: {engine}"]
    if not rules:
        lines[-1] = "  rules: []"
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


class Server:
    """One jormundb process; can be stopped, killed and started again on the
    same data directory."""

    def __init__(self, data_dir, config_path, binary=BINARY):
        self.data_dir = data_dir
        self.config_path = config_path
        self.binary = binary
        self.proc = None
        self.port = None
        self.log_path = data_dir + ".log"
        # Runs in the child before exec, e.g. to lower a resource limit.
        self.preexec_fn = None

    def _command(self):
        return [self.binary, "--config", self.config_path, "--port", "0",
                "--data-dir", self.data_dir, "--host", "127.0.0.1"]

    def start(self):
        log = open(self.log_path, "a")
        offset = log.tell()  # a restart appends: read only this run's lines
        self.proc = subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT,
                                     preexec_fn=self.preexec_fn)
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log_path) as f:
                f.seek(offset)
                found = re.findall(r"listening on 127\.0\.0\.1:(\d+)", f.read())
            if found and self.proc.poll() is None:
                self.port = int(found[-1])
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError("jormundb did not start:\n" + open(self.log_path).read())

    def start_refused(self):
        """(exit status, output) of a start expected to stop by itself; a
        server that starts serving instead is stopped and fails the test."""
        proc = subprocess.Popen(self._command(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        out = ""
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        if "listening on" in out:
            raise AssertionError("jormundb started instead of refusing:\n" + out)
        return proc.returncode, out

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig=None):
        if self.proc is None:
            return
        if sig is None:
            self.proc.terminate()
        else:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=30)
        self.proc = None

    def client(self):
        return make_client(self.endpoint)


def make_client(endpoint, key="test", secret="test", timeout=None):
    """A client signing with `key` and `secret` (any pair works unless the
    server verifies signatures), without retries; with `timeout` (seconds), a
    request left unanswered that long fails instead of waiting on."""
    times = {"connect_timeout": timeout, "read_timeout": timeout} if timeout else {}
    return boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=key, aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                     parameter_validation=False, **times))


@pytest.fixture(scope="session")
def engine(request):
    return request.config.getoption("--engine")


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="jormun-conformance-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def new_server(workdir, default_engine, rules=(), binary=BINARY, durable=False):
    name = uuid.uuid4().hex[:8]
    data = os.path.join(workdir, "data-" + name)
    cfg = os.path.join(workdir, "config-" + name + ".yaml")
    write_config(cfg, default_engine, rules, durable)
    return Server(data, cfg, binary)


@pytest.fixture(scope="session")
def server(workdir, engine):
    s = new_server(workdir, engine).start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def ddb(server):
    return server.client()


@pytest.fixture
def table_name():
    return "t_" + uuid.uuid4().hex[:12]


def create_hash_table(ddb, name):
    """Creates an on-demand table with a string partition key `pk`."""
    ddb.create_table(TableName=name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")


def create_table_with_gsi(ddb, name):
    """Creates an on-demand table keyed by a string `pk`, with a global
    secondary index `by_g` on a string `g` projecting every attribute."""
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                 "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])


@pytest.fixture
def hash_table(ddb, table_name):
    """A table with a string partition key `pk`."""
    create_hash_table(ddb, table_name)
    yield table_name
    ddb.delete_table(TableName=table_name)


@pytest.fixture
def range_table(ddb, table_name):
    """A table with partition key `pk` (S) and sort key `sk` (N)."""
    table_name += "_r"  # distinct from hash_table's when a test uses both
    ddb.create_table(TableName=table_name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    yield table_name
    ddb.delete_table(TableName=table_name)


def error_of(excinfo):
    """(code, message) of a botocore ClientError."""
    err = excinfo.value.response["Error"]
    return err["Code"], err.get("Message", "")
