"""server.background_work / --background-work: off, the server starts none
of its background work (for a private server on a stopped one's data), says
so at start-up, and still serves; a bad value is a configuration error."""
import pytest

from conftest import create_hash_table, new_server

pytestmark = pytest.mark.once

OFF = "background work off: no TTL sweeps, stream trimming, PITR checkpoints"


def log_of(srv):
    with open(srv.log_path) as f:
        return f.read()


def test_off_in_the_config(workdir):
    srv = new_server(workdir, "rocksdb")
    with open(srv.config_path, "a") as f:
        f.write("server:\n  background_work: false\n")
    srv.start()
    try:
        create_hash_table(srv.client(), "quiet")
        srv.client().put_item(TableName="quiet", Item={"pk": {"S": "a"}})
        assert srv.client().get_item(TableName="quiet", Key={"pk": {"S": "a"}})["Item"]
    finally:
        srv.stop()
    assert OFF in log_of(srv)


def test_off_by_flag_and_on_by_default(workdir):
    srv = new_server(workdir, "rocksdb")
    srv.start()
    srv.stop()
    assert OFF not in log_of(srv)
    command = srv._command
    srv._command = lambda: command() + ["--background-work", "false"]
    srv.start()
    srv.stop()
    assert OFF in log_of(srv)


def test_a_bad_value_is_refused(workdir):
    srv = new_server(workdir, "rocksdb")
    command = srv._command
    srv._command = lambda: command() + ["--background-work", "maybe"]
    status, out = srv.start_refused()
    assert status == 2, out
    assert "--background-work" in out, out
