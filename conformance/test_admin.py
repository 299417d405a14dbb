"""jormun-admin against the real server: export and import in DynamoDB's
export format (plain and gzip, a hand-written file in AWS's format, bad
lines, --schema), verify on a sound and a damaged table, stats, progress
output, and Ctrl-C in the middle of an export."""
import gzip
import json
import os
import re
import signal
import subprocess
import time
import uuid

import pytest

from conftest import ROOT, Server, make_client, new_server, write_config

BIN = os.path.dirname(os.environ.get("JORMUN_BIN", os.path.join(ROOT, "build", "bin",
                                                                "jormundb")))
ADMIN = os.path.join(BIN, "jormun-admin")
KEYSPACE_DELETE = os.path.join(BIN, "keyspace_delete")


def admin(server, *args, timeout=120):
    return subprocess.run([ADMIN, "--endpoint", server.endpoint, *args],
                          capture_output=True, text=True, timeout=timeout)


def schema(name, index=True):
    """A CreateTable request: pk (S) and sk (N), and a GSI on g."""
    s = {"TableName": name,
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
         "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
         "BillingMode": "PAY_PER_REQUEST"}
    if index:
        s["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
        s["GlobalSecondaryIndexes"] = [{
            "IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["n"]}}]
    return s


def create(ddb, name, index=True):
    ddb.create_table(**schema(name, index))
    return name


def write_schema(tmp_path, name):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema(name)))
    return str(path)


def item(i, indexed=None):
    """Items of every attribute type; a third outside the index unless
    `indexed` says otherwise."""
    it = {"pk": {"S": f"p{i % 37}"}, "sk": {"N": str(i)}, "n": {"N": f"{i}.5"},
          "s": {"S": "x" * (i % 50)}, "b": {"B": "AAEC"}, "t": {"BOOL": i % 2 == 0},
          "z": {"NULL": True}, "l": {"L": [{"N": "1"}, {"S": "two"}]},
          "m": {"M": {"deep": {"M": {"ns": {"NS": ["1", "2.5"]}}}}},
          "ss": {"SS": ["a", "b"]}, "bs": {"BS": ["AQ==", "Ag=="]}}
    if indexed or (indexed is None and i % 3):
        it["g"] = {"S": f"g{i % 5}"}
    return it


def fill(ddb, name, count, start=0, indexed=None):
    for first in range(start, start + count, 25):
        requests = [{"PutRequest": {"Item": item(i, indexed)}}
                    for i in range(first, min(first + 25, start + count))]
        left = {name: requests}
        while left:
            left = ddb.batch_write_item(RequestItems=left).get("UnprocessedItems")


def scan_all(ddb, name):
    items, kwargs = [], {"TableName": name, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: (i["pk"]["S"], float(i["sk"]["N"])))
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def normalised(items):
    """Sets compare as sets: DynamoDB does not keep their order."""
    def fix(v):
        if isinstance(v, dict):
            return {k: (sorted(x) if k in ("SS", "NS", "BS") else fix(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v
    return [fix(i) for i in items]


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return [json.loads(line) for line in f]


def test_export_then_import_copies_every_item(server, ddb, tmp_path):
    source = create(ddb, "src_" + uuid.uuid4().hex[:8])
    fill(ddb, source, 300)
    out = str(tmp_path / "export.json")
    r = admin(server, "export", source, "--out", out, "--segments", "4")
    assert r.returncode == 0, r.stderr
    assert f"exported 300 items of {source} to {out}" in r.stderr
    lines = read_lines(out)
    assert len(lines) == 300 and all(list(line) == ["Item"] for line in lines)

    copy = "copy_" + uuid.uuid4().hex[:8]
    r = admin(server, "import", copy, out, "--schema", write_schema(tmp_path, "ignored"))
    assert r.returncode == 0, r.stderr
    assert f"created table {copy}" in r.stderr
    assert f"imported 300 items from {out} into {copy}" in r.stderr
    assert normalised(scan_all(ddb, copy)) == normalised(scan_all(ddb, source))
    # The index was created from the schema and filled by the writes.
    assert admin(server, "verify", copy).returncode == 0


def test_gzip_round_trip_into_an_existing_table(server, ddb, tmp_path):
    source = create(ddb, "gzs_" + uuid.uuid4().hex[:8], index=False)
    fill(ddb, source, 120)
    out = str(tmp_path / "export.json.gz")
    assert admin(server, "export", source, "--out", out).returncode == 0
    with open(out, "rb") as f:
        assert f.read(2) == b"\x1f\x8b"
    assert len(read_lines(out)) == 120
    copy = create(ddb, "gzc_" + uuid.uuid4().hex[:8], index=False)
    r = admin(server, "import", copy, out)
    assert r.returncode == 0, r.stderr
    assert normalised(scan_all(ddb, copy)) == normalised(scan_all(ddb, source))


def test_export_to_standard_output(server, ddb):
    source = create(ddb, "std_" + uuid.uuid4().hex[:8], index=False)
    fill(ddb, source, 3)
    r = admin(server, "--quiet", "export", source)
    assert r.returncode == 0 and r.stderr == ""
    assert sorted(json.loads(l)["Item"]["sk"]["N"] for l in r.stdout.splitlines()) == \
        ["0", "1", "2"]


# Lines as DynamoDB's export to S3 writes them (the "DynamoDB JSON" output
# format of its documentation, data/<id>.json.gz): one object per line,
# nothing else in the file.
AWS_EXPORT = """\
{"Item":{"Id":{"N":"103"},"Title":{"S":"Book 103 Title"},"ISBN":{"S":"333-3333333333"},"Authors":{"SS":["Author1","Author2"]},"Price":{"N":"2000"},"Dimensions":{"S":"8.5 x 11.0 x 1.5"},"PageCount":{"N":"600"},"InPublication":{"BOOL":false},"ProductCategory":{"S":"Book"}}}
{"Item":{"Id":{"N":"205"},"Title":{"S":"18-Bike-204"},"Description":{"S":"205 Description"},"BicycleType":{"S":"Hybrid"},"Brand":{"S":"Brand-Company C"},"Price":{"N":"500"},"Color":{"L":[{"S":"Red"},{"S":"Black"}]},"ProductCategory":{"S":"Bicycle"},"ProductReviews":{"M":{"FiveStar":{"L":[{"S":"Excellent! Can't recommend it highly enough! Buy it!"},{"S":"Do yourself a favor and buy this."}]},"OneStar":{"L":[{"S":"Terrible product! Do not buy this."}]}}}}}
{"Item":{"Id":{"N":"1.0E+3"},"Picture":{"B":"iVBORw0KGgo="},"Sizes":{"NS":["1","2.5","-3E-2"]},"Thumbs":{"BS":["AQID","BAUG"]},"Gone":{"NULL":true}}}
"""


def test_a_file_in_dynamodbs_export_format_loads(server, ddb, tmp_path):
    path = str(tmp_path / "01234567-abcd.json.gz")
    with gzip.open(path, "wt") as f:
        f.write(AWS_EXPORT)
    schema_path = tmp_path / "products.json"
    schema_path.write_text(json.dumps({
        "TableName": "ProductCatalog",
        "KeySchema": [{"AttributeName": "Id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "Id", "AttributeType": "N"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}))
    name = "products_" + uuid.uuid4().hex[:8]
    r = admin(server, "import", name, path, "--schema", str(schema_path))
    assert r.returncode == 0, r.stderr
    bike = ddb.get_item(TableName=name, Key={"Id": {"N": "205"}})["Item"]
    assert bike["ProductReviews"]["M"]["OneStar"]["L"] == [
        {"S": "Terrible product! Do not buy this."}]
    third = ddb.get_item(TableName=name, Key={"Id": {"N": "1000"}})["Item"]
    assert third["Picture"] == {"B": b"\x89PNG\r\n\x1a\n"}
    assert sorted(third["Sizes"]["NS"]) == ["-0.03", "1", "2.5"]
    assert ddb.describe_table(TableName=name)["Table"]["KeySchema"][0]["AttributeName"] == "Id"


BAD_FILE = "\n".join([
    json.dumps({"Item": item(1)}),
    "",  # blank lines carry nothing and are no error
    '{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}',
    json.dumps({"Item": {"pk": {"S": "b"}}}),
    json.dumps({"Item": {"pk": {"S": "c"}, "sk": {"N": "not a number"}}}),
    json.dumps({"Item": item(2)}),
]) + "\n"


def test_a_bad_line_stops_the_import_before_anything_is_written(server, ddb, tmp_path):
    path = str(tmp_path / "bad.json")
    with open(path, "w") as f:
        f.write(BAD_FILE)
    name = "bad_" + uuid.uuid4().hex[:8]
    r = admin(server, "import", name, path, "--schema", write_schema(tmp_path, name))
    assert r.returncode == 1
    assert f"{path}:3: not JSON" in r.stderr, r.stderr
    assert name not in ddb.list_tables()["TableNames"]  # not even created
    # Into an existing table: nothing written either.
    create(ddb, name)
    r = admin(server, "import", name, path)
    assert r.returncode == 1 and f"{path}:3: not JSON" in r.stderr
    assert scan_all(ddb, name) == []


def test_skip_bad_names_each_bad_line_and_loads_the_rest(server, ddb, tmp_path):
    path = str(tmp_path / "bad.json")
    with open(path, "w") as f:
        f.write(BAD_FILE)
    name = create(ddb, "skip_" + uuid.uuid4().hex[:8])
    r = admin(server, "import", name, path, "--skip-bad")
    assert r.returncode == 0, r.stderr
    assert f"{path}:3: not JSON" in r.stderr
    assert f"{path}:4: the item has no key attribute 'sk' (skipped)" in r.stderr
    assert f"{path}:5: " in r.stderr and f"{path}:1:" not in r.stderr
    assert "imported 2 items" in r.stderr and "3 bad lines skipped" in r.stderr
    assert [i["sk"]["N"] for i in scan_all(ddb, name)] == ["1", "2"]


def test_a_missing_table_needs_a_schema(server, tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"Item": item(1)}) + "\n")
    r = admin(server, "import", "nope_" + uuid.uuid4().hex[:8], str(path))
    assert r.returncode == 1
    assert "does not exist; give --schema FILE" in r.stderr


def test_bad_arguments_exit_2_and_help_is_a_manual(server):
    assert admin(server, "export").returncode == 2
    assert admin(server, "export", "t", "--segments", "0").returncode == 2
    r = subprocess.run([ADMIN, "--endpoint", "ftp://x", "stats"], capture_output=True,
                       text=True)
    assert r.returncode == 2
    assert "expected http://HOST[:PORT] or https://HOST[:PORT], got 'ftp://x'" in r.stderr
    r = subprocess.run([ADMIN, "--help"], capture_output=True, text=True)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "EXIT STATUS"):
        assert re.search(rf"^{section}$", r.stdout, re.M), section


def test_verify_passes_a_sound_table(server, ddb):
    name = create(ddb, "ok_" + uuid.uuid4().hex[:8])
    fill(ddb, name, 60)
    ddb.delete_item(TableName=name, Key={"pk": item(4)["pk"], "sk": item(4)["sk"]})
    ddb.update_item(TableName=name, Key={"pk": item(5)["pk"], "sk": item(5)["sk"]},
                    UpdateExpression="REMOVE g")
    r = admin(server, "verify", name)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "index byG: 38 entries, ok" in r.stdout
    assert f"verify {name}: ok" in r.stdout


def catalog_table(data_dir, name):
    with open(os.path.join(data_dir, "catalog.json")) as f:
        return next(t for t in json.load(f)["tables"] if t["name"] == name)


def delete_first_key(srv, name, keyspace, engine):
    t = catalog_table(srv.data_dir, name)
    options = [f"{k}={v}" for k, v in t["engine_options"].items()]
    out = subprocess.run([KEYSPACE_DELETE, os.path.join(BIN, f"jormun_{engine}.so"),
                          os.path.join(srv.data_dir, "tables", name), keyspace, *options],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_verify_finds_a_damaged_index(workdir, engine):
    """A lost index entry and a lost item (what a damaged disk does), made
    in a stopped server's files through the engine itself."""
    srv = new_server(workdir, engine).start()
    try:
        ddb = srv.client()
        create(ddb, "lost_entry")
        fill(ddb, "lost_entry", 40)
        create(ddb, "lost_item")
        fill(ddb, "lost_item", 40, indexed=True)
        srv.stop()
        delete_first_key(srv, "lost_entry", "index:byG", engine)
        delete_first_key(srv, "lost_item", "items", engine)
        srv.start()
        r = admin(srv, "verify", "lost_entry")
        assert r.returncode == 1, r.stdout
        assert "index byG: 25 entries, 1 disagreements" in r.stdout
        assert "has no entry" in r.stdout
        assert "verify lost_entry: FAILED, 1 disagreements" in r.stdout
        # rebuild-index drops the index and builds it again from the items.
        r = admin(srv, "rebuild-index", "lost_entry", "byG")
        assert r.returncode == 0, r.stderr
        assert "rebuilt index byG of lost_entry" in r.stderr
        r = admin(srv, "verify", "lost_entry")
        assert r.returncode == 0, r.stdout
        assert "index byG: 26 entries, ok" in r.stdout
        r = admin(srv, "rebuild-index", "lost_entry", "nope")
        assert r.returncode == 1 and "table lost_entry has no index nope" in r.stderr
        r = admin(srv, "verify", "lost_item")
        assert r.returncode == 1, r.stdout
        assert "table lost_item: 39 items" in r.stdout
        assert "index byG: 40 entries, 1 disagreements" in r.stdout
        assert "which does not exist" in r.stdout
    finally:
        srv.stop()


def test_stats_names_engine_items_and_indexes(server, ddb, engine):
    name = create(ddb, "stats_" + uuid.uuid4().hex[:8])
    fill(ddb, name, 30)
    time.sleep(5.5)  # DescribeTable's figures are up to five seconds old
    r = admin(server, "stats", name)
    assert r.returncode == 0, r.stderr
    row = next(line.split() for line in r.stdout.splitlines() if line.startswith(name))
    assert row[:4] == [name, engine, "ACTIVE", "30"]
    index = next(line.split() for line in r.stdout.splitlines() if "index byG" in line)
    assert index[2:5] == ["global", "ACTIVE", "20"]
    # The engine's statistics from /metrics, the table being open.
    stats = dict(line.split()[1:3] for line in r.stdout.splitlines()
                 if line.startswith("  engine "))
    assert int(stats["approximate_size_bytes"]) > 0, r.stdout
    r = admin(server, "stats")
    assert r.returncode == 0 and name in r.stdout
    assert admin(server, "stats", "nope_" + uuid.uuid4().hex[:8]).returncode == 1


def test_progress_lines_when_not_a_terminal(server, ddb, tmp_path):
    name = create(ddb, "prog_" + uuid.uuid4().hex[:8], index=False)
    fill(ddb, name, 1000)
    out = str(tmp_path / "p.json")
    # A request per item: long enough for progress lines every 10 ms.
    r = admin(server, "--progress-interval", "0.01", "export", name, "--out", out,
              "--page-size", "1")
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert any(line.startswith(f"export {name}: ") and "items/s" in line for line in lines[:-1])
    assert "\r" not in r.stderr and "\033" not in r.stderr
    assert lines[-1].startswith(f"exported 1000 items of {name}")
    r = admin(server, "--quiet", "export", name, "--out", out)
    assert r.returncode == 0 and r.stderr == ""


def test_ctrl_c_stops_an_export_cleanly(server, ddb, tmp_path):
    name = create(ddb, "int_" + uuid.uuid4().hex[:8], index=False)
    fill(ddb, name, 3000)
    out = str(tmp_path / "partial.json.gz")
    proc = subprocess.Popen([ADMIN, "--endpoint", server.endpoint, "--progress-interval",
                             "0.05", "export", name, "--out", out, "--page-size", "1"],
                            stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()  # the first progress line: the export is under way
    assert first.startswith(f"export {name}: "), first
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=30) == 130
    assert "stopped: " in rest and "it is not a whole export of the table" in rest
    done = int(rest.split("stopped: ")[1].split()[0])
    assert 0 < done < 3000
    # The file is whole gzip holding exactly the items it says.
    assert len(read_lines(out)) == done


def test_signs_requests_for_a_server_that_verifies_them(workdir, engine, tmp_path):
    cfg = os.path.join(workdir, "config-admin-sigv4.yaml")
    write_config(cfg, engine)
    with open(cfg, "a") as f:
        f.write("auth:\n  mode: sigv4\n  keys:\n"
                "    - {access_key_id: admin-key, secret: admin-secret}\n")
    srv = Server(os.path.join(workdir, "data-admin-sigv4"), cfg).start()
    try:
        ddb = make_client(srv.endpoint, "admin-key", "admin-secret")
        name = create(ddb, "signed_" + uuid.uuid4().hex[:8], index=False)
        fill(ddb, name, 10)
        out = str(tmp_path / "signed.json")
        r = admin(srv, "--access-key", "admin-key", "--secret-key", "admin-secret",
                  "export", name, "--out", out)
        assert r.returncode == 0, r.stderr
        assert len(read_lines(out)) == 10
        r = admin(srv, "--access-key", "admin-key", "--secret-key", "wrong", "stats", name)
        assert r.returncode == 1 and "InvalidSignatureException" in r.stderr
        r = admin(srv, "stats", name)  # the placeholder key
        assert r.returncode == 1 and "UnrecognizedClientException" in r.stderr
    finally:
        srv.stop()


def test_data_dir_of_a_stopped_server(workdir, engine, tmp_path):
    """--data-dir runs the command on a stopped server's files through a
    private server of the admin's, and refuses the files of a running one."""
    srv = new_server(workdir, engine).start()
    try:
        ddb = srv.client()
        name = create(ddb, "offline_" + uuid.uuid4().hex[:8])
        fill(ddb, name, 30)
        base = ["--data-dir", srv.data_dir, "--config", srv.config_path]
        # A running server holds the directory: refused, naming its holder.
        r = subprocess.run([ADMIN, *base, "stats", name], capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 3, r.stderr
        assert f"is in use by another process (pid {srv.proc.pid})" in r.stderr
        srv.stop()
        out = str(tmp_path / "offline.json")
        r = subprocess.run([ADMIN, *base, "export", name, "--out", out],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert len(read_lines(out)) == 30
        r = subprocess.run([ADMIN, *base, "verify", name], capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0 and f"verify {name}: ok" in r.stdout, r.stdout
        # The private server is gone with the command: the directory is free.
        srv.start()
        assert srv.client().describe_table(TableName=name)["Table"]["ItemCount"] == 30
        r = subprocess.run([ADMIN, "--endpoint", srv.endpoint, "--data-dir", srv.data_dir,
                            "stats"], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "not both" in r.stderr
    finally:
        srv.stop()
