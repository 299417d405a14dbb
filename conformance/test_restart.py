"""Tables and items survive a restart, and a table keeps its engine."""
import json
import os
import shutil
import signal

import pytest

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


# Start-up never deletes or silently empties a table (issue 11): what it
# cannot explain stops it (exit status 3, the path named) or is moved aside.

def _server_with_table(workdir, engine, name="kept"):
    """A stopped server whose data holds table `name` with one item."""
    srv = new_server(workdir, engine).start()
    ddb = srv.client()
    create_hash_table(ddb, name)
    ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"S": "still here"}})
    srv.stop()
    return srv


def _assert_item_served(srv, name="kept"):
    srv.start()
    item = srv.client().get_item(TableName=name, Key={"pk": {"S": "k"}})["Item"]
    assert item["v"] == {"S": "still here"}
    srv.stop()


def _tree(path):
    """Every file under `path` with its size: what must not change."""
    out = {}
    for root, _, files in os.walk(path):
        for f in files:
            full = os.path.join(root, f)
            out[os.path.relpath(full, path)] = os.path.getsize(full)
    return out


def test_first_start_writes_an_empty_catalog(workdir, engine):
    srv = new_server(workdir, engine).start()
    assert srv.client().list_tables()["TableNames"] == []
    srv.stop()
    with open(os.path.join(srv.data_dir, "catalog.json")) as f:
        assert json.load(f)["tables"] == []


def test_missing_catalog_next_to_tables_refuses_start(workdir, engine):
    srv = _server_with_table(workdir, engine)
    catalog = os.path.join(srv.data_dir, "catalog.json")
    tables = os.path.join(srv.data_dir, "tables")
    shutil.move(catalog, catalog + ".saved")
    before = _tree(tables)
    status, out = srv.start_refused()
    assert status == 3, out
    assert catalog + " is missing" in out, out
    assert _tree(tables) == before
    assert not os.path.exists(catalog)
    shutil.move(catalog + ".saved", catalog)
    _assert_item_served(srv)


@pytest.mark.parametrize("damage", ["directory", "truncated", "garbled"])
def test_unreadable_catalog_refuses_start(workdir, engine, damage):
    srv = _server_with_table(workdir, engine)
    catalog = os.path.join(srv.data_dir, "catalog.json")
    tables = os.path.join(srv.data_dir, "tables")
    shutil.copy(catalog, catalog + ".saved")
    with open(catalog, "rb") as f:
        good = f.read()
    os.remove(catalog)
    if damage == "directory":  # root reads any file: this is what root cannot read
        os.mkdir(catalog)
    else:
        with open(catalog, "wb") as f:
            f.write(good[: len(good) // 2] if damage == "truncated" else b"\x00\xff{]")
    before = _tree(tables)
    status, out = srv.start_refused()
    assert status == 3, out
    assert catalog + ": " in out, out
    assert _tree(tables) == before
    if damage == "directory":
        os.rmdir(catalog)
    shutil.move(catalog + ".saved", catalog)
    _assert_item_served(srv)


def test_catalog_field_of_the_wrong_type_is_named(workdir, engine):
    srv = _server_with_table(workdir, engine)
    catalog = os.path.join(srv.data_dir, "catalog.json")
    with open(catalog) as f:
        doc = json.load(f)
    doc["tables"][0]["read_capacity"] = "5"
    with open(catalog, "w") as f:
        json.dump(doc, f)
    status, out = srv.start_refused()
    assert status == 3, out
    assert catalog + ': table "kept": read_capacity must be an integer' in out, out
    assert "RapidJSON" not in out, out


def test_emptied_table_folder_refuses_start(workdir, engine):
    srv = _server_with_table(workdir, engine)
    folder = os.path.join(srv.data_dir, "tables", "kept")
    saved = os.path.join(workdir, os.path.basename(srv.data_dir) + "-kept")
    shutil.move(folder, saved)
    os.mkdir(folder)  # what an unmounted volume's mount point looks like
    status, out = srv.start_refused()
    assert status == 3, out
    assert 'table "kept": its folder ' + folder + " is empty" in out, out
    assert os.path.isdir(folder) and os.listdir(folder) == []
    os.rmdir(folder)
    shutil.move(saved, folder)
    _assert_item_served(srv)


def test_table_folder_of_another_table_refuses_start(workdir, engine):
    srv = _server_with_table(workdir, engine)
    marker = os.path.join(srv.data_dir, "tables", "kept", "jormun-table-id")
    with open(marker) as f:
        table_id = f.read().strip()
    with open(marker, "w") as f:
        f.write("00000000-0000-4000-8000-000000000000\n")
    status, out = srv.start_refused()
    assert status == 3, out
    assert "holds the id '00000000-0000-4000-8000-000000000000', the catalog says " + \
        table_id in out, out
    with open(marker, "w") as f:
        f.write(table_id + "\n")
    _assert_item_served(srv)


def test_table_folder_without_id_marker_is_adopted(workdir, engine):
    """Folders made before id markers existed: the catalog lists the table
    and the folder holds its data, so the marker is written."""
    srv = _server_with_table(workdir, engine)
    marker = os.path.join(srv.data_dir, "tables", "kept", "jormun-table-id")
    with open(marker) as f:
        table_id = f.read()
    os.remove(marker)
    _assert_item_served(srv)
    with open(marker) as f:
        assert f.read() == table_id


def test_leftovers_are_removed_only_when_a_marker_explains_them(workdir, engine):
    srv = _server_with_table(workdir, engine)
    tables = os.path.join(srv.data_dir, "tables")
    for name, marker in (("half_created", "jormun-creating"),
                         ("half_deleted", "jormun-deleting"), ("stray", None)):
        os.mkdir(os.path.join(tables, name))
        with open(os.path.join(tables, name, "data"), "w") as f:
            f.write(name)
        if marker:
            open(os.path.join(tables, name, marker), "w").close()
    # A listed table keeps its folder whatever stale marker it carries.
    open(os.path.join(tables, "kept", "jormun-deleting"), "w").close()
    _assert_item_served(srv)
    assert sorted(os.listdir(tables)) == ["kept"]
    assert not os.path.exists(os.path.join(tables, "kept", "jormun-deleting"))
    with open(os.path.join(srv.data_dir, "orphans", "stray", "data")) as f:
        assert f.read() == "stray"
