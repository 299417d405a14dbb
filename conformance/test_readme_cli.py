"""Runs the AWS CLI examples from README.md against the server, as written
there (only the endpoint is changed to the test server's)."""
import json
import os
import re
import shlex
import subprocess

from conftest import ROOT


def readme_commands():
    text = open(os.path.join(ROOT, "README.md")).read()
    block = re.search(r"<!-- cli-examples:start -->\s*```sh\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def cli(line, env, endpoint):
    args = [a.replace("http://127.0.0.1:8002", endpoint) for a in shlex.split(line)]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def run(line, env, endpoint):
    out = cli(line, env, endpoint)
    assert out.returncode == 0, f"{line}\n{out.stderr}"
    return json.loads(out.stdout) if out.stdout.strip() else None


def readme_env():
    env = dict(os.environ)
    commands = readme_commands()
    assert commands[0].startswith("export ")
    for assignment in shlex.split(commands[0])[1:]:
        k, v = assignment.split("=", 1)
        env[k] = v
    return env


def test_readme_cli_examples(server):
    env = readme_env()
    commands = readme_commands()
    outputs = {}
    for line in commands[1:]:
        verb = shlex.split(line)[2]
        outputs.setdefault(verb, []).append(run(line, env, server.endpoint))

    assert outputs["create-table"][0]["TableDescription"]["TableName"] == "Music"
    # None: the command printed nothing at all.
    assert outputs["put-item"] == [None]
    assert outputs["delete-item"] == [None]
    assert len(outputs["get-item"]) == 2, "README: get-item before and after delete-item"
    assert outputs["get-item"][1] is None
    item = outputs["get-item"][0]["Item"]
    assert item["Year"] == {"N": "2015"}
    assert item["SongTitle"] == {"S": "Call Me Today"}
    assert outputs["update-item"][0] == {"Attributes": {"Plays": {"N": "1"}}}
    assert outputs["describe-table"][0]["Table"]["TableStatus"] == "ACTIVE"
    assert "Music" in outputs["list-tables"][0]["TableNames"]
    assert outputs["delete-table"][0]["TableDescription"]["TableStatus"] == "DELETING"


def test_cli_update_item_with_a_failing_condition(server, hash_table):
    env = readme_env()
    key = "--key '{\"pk\": {\"S\": \"song\"}}'"
    base = (f"aws dynamodb update-item --endpoint-url http://127.0.0.1:8002 --table-name "
            f"{hash_table} {key} --update-expression \"SET Plays = Plays + :one\" "
            "--expression-attribute-values '{\":one\": {\"N\": \"1\"}}'")
    out = cli(base + " --condition-expression \"attribute_exists(pk)\"", env, server.endpoint)
    assert out.returncode != 0
    assert "ConditionalCheckFailedException" in out.stderr
    assert "The conditional request failed" in out.stderr
    assert "Item" not in server.client().get_item(TableName=hash_table,
                                                   Key={"pk": {"S": "song"}})
    out = cli(base + " --condition-expression \"attribute_exists(#p)\" "
              "--expression-attribute-names '{\"#p\": \"pk\"}'", env, server.endpoint)
    assert out.returncode != 0
    assert "ConditionalCheckFailedException" in out.stderr
