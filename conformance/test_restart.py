"""Tables and items survive a restart, and a table keeps its engine."""
import signal

from conftest import create_hash_table, new_server


def test_data_survives_restart(workdir, engine):
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    create_hash_table(ddb, "durable")
    for i in range(50):
        ddb.put_item(TableName="durable", Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
    srv.stop(signal.SIGTERM)

    srv.start()
    ddb = srv.client()
    assert "durable" in ddb.list_tables()["TableNames"]
    for i in range(50):
        item = ddb.get_item(TableName="durable", Key={"pk": {"S": f"k{i}"}})["Item"]
        assert item["n"] == {"N": str(i)}
    srv.stop()
