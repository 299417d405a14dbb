"""server.log_format, server.log_level and server.access_log: what the
server writes to its log, read back from the log file."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import create_hash_table, new_server


def started(workdir, engine, settings):
    srv = new_server(workdir, engine)
    with open(srv.config_path, "a") as f:
        f.write("server:\n" + "".join(f"  {k}: {v}\n" for k, v in settings.items()))
    return srv.start()


def log_lines(srv):
    with open(srv.log_path) as f:
        return f.read().splitlines()


def test_json_lines_with_an_access_log(workdir, engine):
    srv = started(workdir, engine, {"log_format": "json", "access_log": "true"})
    try:
        ddb = srv.client()
        create_hash_table(ddb, "logged")
        ddb.put_item(TableName="logged", Item={"pk": {"S": "a"}})
        with pytest.raises(ClientError) as e:
            ddb.get_item(TableName="missing_table", Key={"pk": {"S": "a"}})
        request_id = e.value.response["ResponseMetadata"]["RequestId"]
    finally:
        srv.stop()
    lines = [json.loads(line) for line in log_lines(srv)]  # every line is JSON
    assert all(set(line) >= {"time", "level", "message"} for line in lines)
    assert any(line["message"].startswith("jormundb listening on ") for line in lines)
    access = [line for line in lines if line["message"] == "request"]
    put = [a for a in access if a["operation"] == "PutItem"]
    assert len(put) == 1
    assert put[0]["table"] == "logged" and put[0]["status"] == 200
    assert put[0]["error"] == "-" and put[0]["latency_ms"] >= 0
    failed = [a for a in access if a["id"] == request_id]
    assert len(failed) == 1
    assert failed[0]["operation"] == "GetItem"
    assert failed[0]["table"] == "missing_table"
    assert failed[0]["status"] == 400
    assert failed[0]["error"] == "ResourceNotFoundException"


def test_text_access_log_and_error_level(workdir, engine):
    srv = started(workdir, engine, {"access_log": "true", "log_level": "error"})
    try:
        srv.client().list_tables()
    finally:
        srv.stop()
    lines = log_lines(srv)
    # At level error only the lines scripts wait for are INFO.
    infos = [line for line in lines if " INFO " in line]
    assert infos and all(" INFO jormundb " in line for line in infos)
    assert not any(" INFO request " in line for line in lines)


def test_text_access_log_fields(workdir, engine):
    srv = started(workdir, engine, {"access_log": "true"})
    try:
        srv.client().list_tables()
    finally:
        srv.stop()
    access = [line for line in log_lines(srv) if " INFO request " in line]
    assert len(access) == 1
    assert " operation=ListTables table=- status=200 error=- latency_ms=" in access[0]


def test_no_access_log_by_default(workdir, engine):
    srv = new_server(workdir, engine).start()
    try:
        srv.client().list_tables()
    finally:
        srv.stop()
    assert not any(" INFO request " in line for line in log_lines(srv))


def test_the_engines_loaded_are_logged(workdir, engine):
    srv = new_server(workdir, engine).start()
    srv.stop()
    lines = log_lines(srv)
    for name in ("rocksdb", "sqlite", "lmdb", "postgres"):
        logged = [line for line in lines if f" INFO engine {name}: {name} " in line]
        assert len(logged) == 1
        assert logged[0].endswith(f"/jormun_{name}.so")
