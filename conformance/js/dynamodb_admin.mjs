// Drives the dynamodb-admin GUI (npm) in headless Chromium against the
// server at JORMUN_ENDPOINT: its table list, a table's items, an item's
// page, creating an item in its editor and deleting it with its button,
// each checked against the DynamoDB API; then its create-table form, items
// of a table with a numeric sort key, a key-condition query on its items
// page, and the table deleted from the table list. ADMIN_TABLE names a table with a
// string partition key `pk` and a few items; ADMIN_SCREENSHOT_DIR receives
// a screenshot of each page.
import assert from "node:assert/strict";
import {spawn} from "node:child_process";
import {createRequire} from "node:module";
import path from "node:path";
import {CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, ScanCommand}
  from "@aws-sdk/client-dynamodb";
import {launch, watchedPage} from "./browser.mjs";

const endpoint = process.env.JORMUN_ENDPOINT;
const table = process.env.ADMIN_TABLE;
const shots = process.env.ADMIN_SCREENSHOT_DIR;
const ddb = new DynamoDBClient({
  endpoint, region: "us-east-1", maxAttempts: 1,
  credentials: {accessKeyId: "test", secretAccessKey: "test"},
});

// dynamodb-admin on a free port of loopback; resolves to its URL.
function startAdmin() {
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve("dynamodb-admin/package.json")),
                        "dist", "dynamodb-admin.js");
  const admin = spawn(process.execPath,
                      [bin, "--host", "127.0.0.1", "--port", "0", "--dynamo-endpoint", endpoint],
                      {env: {...process.env, NODE_ENV: "test"}, stdio: ["ignore", "pipe", "pipe"]});
  let output = "";
  const url = new Promise((resolve, reject) => {
    const read = chunk => {
      output += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]);
    };
    admin.stdout.on("data", read);
    admin.stderr.on("data", read);
    admin.on("exit", code => reject(new Error(`dynamodb-admin exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error("dynamodb-admin did not start:\n" + output)), 20000);
  });
  return {admin, url, output: () => output};
}

const {admin, url, output} = startAdmin();
const problems = [];
const browser = await launch();
try {
  const base = await url;
  const page = await watchedPage(browser, problems);
  const shot = name => page.screenshot({path: path.join(shots, name + ".png"), fullPage: true});

  // The table list: every table the API lists.
  await page.goto(base + "/");
  const listed = await page.$$eval("[data-table-name]", els => els.map(e => e.dataset.tableName));
  const {TableNames} = await ddb.send(new ListTablesCommand({}));
  assert.deepEqual([...listed].sort(), [...TableNames].sort(), "tables listed");
  await shot("admin-tables");

  // A table's items: one "View" link per item of the scan.
  await page.goto(`${base}/tables/${encodeURIComponent(table)}`);
  const scan = await ddb.send(new ScanCommand({TableName: table}));
  await page.waitForFunction(n => document.querySelectorAll('a[href*="/items/"]').length === n,
                             {timeout: 20000}, scan.Items.length);
  const viewed = await page.$$eval('a[href*="/items/"]',
                                   as => as.map(a => decodeURIComponent(a.href.split("/items/")[1])));
  assert.deepEqual(viewed.sort(), scan.Items.map(i => i.pk.S).sort(), "items listed");
  await shot("admin-items");

  // The table's description and its TTL setting, each a page of its own.
  const text = () => page.evaluate(() => document.body.innerText);
  await page.goto(`${base}/tables/${encodeURIComponent(table)}/meta`);
  assert.ok((await text()).includes(table), "meta page");
  await page.goto(`${base}/tables/${encodeURIComponent(table)}/ttl`);
  assert.match(await text(), /Status\s+DISABLED/, "ttl page");

  // One item's page shows its attributes in the editor.
  const first = scan.Items[0];
  await page.goto(`${base}/tables/${encodeURIComponent(table)}/items/${encodeURIComponent(first.pk.S)}`);
  const shown = JSON.parse(await page.evaluate(() => editor.getValue()));
  assert.equal(shown.pk, first.pk.S, "item page");

  // Create: the editor's JSON, saved, is then the item's page.
  const created = {pk: "made-in-admin", n: 42, tags: ["a", "b"], nested: {ok: true}};
  await page.goto(`${base}/tables/${encodeURIComponent(table)}/add-item`);
  await page.evaluate(json => editor.setValue(json), JSON.stringify(created));
  await Promise.all([page.waitForNavigation(), page.click("#saveButton")]);
  assert.ok(page.url().endsWith("/items/made-in-admin"), "after saving: " + page.url());
  const stored = await ddb.send(new GetItemCommand({TableName: table, Key: {pk: {S: "made-in-admin"}}}));
  assert.deepEqual(stored.Item, {
    pk: {S: "made-in-admin"}, n: {N: "42"}, tags: {L: [{S: "a"}, {S: "b"}]},
    nested: {M: {ok: {BOOL: true}}},
  });
  await shot("admin-item");

  // Delete, from the item's page: back on the table's page, the item gone.
  await Promise.all([page.waitForNavigation(), page.click("button.btn-danger")]);
  assert.ok(page.url().endsWith(`/tables/${encodeURIComponent(table)}`), "after deleting: " + page.url());
  const gone = await ddb.send(new GetItemCommand({TableName: table, Key: {pk: {S: "made-in-admin"}}}));
  assert.equal(gone.Item, undefined, "the item was deleted");

  // Its create-table form sends the capacity units as the form's strings
  // (dynamodb-admin issue #518); DynamoDB refuses a string for a Long, and
  // so does the server, with DynamoDB's SerializationException text.
  await page.goto(base + "/create-table");
  await page.type("#TableName", "admin_made");
  await page.type("#HashAttributeName", "pk");
  await page.click("#saveButton");
  await page.waitForFunction(() => document.getElementById("error-wrapper").innerText.trim() !== "");
  assert.match(await page.$eval("#error-wrapper", e => e.innerText),
               /STRING_VALUE cannot be converted to Long/);
  assert.ok(!(await ddb.send(new ListTablesCommand({}))).TableNames.includes("admin_made"));
  problems.length = 0;

  // A table with a numeric sort key, made through the API.
  await ddb.send(new CreateTableCommand({
    TableName: "admin_made", BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{AttributeName: "pk", KeyType: "HASH"}, {AttributeName: "sk", KeyType: "RANGE"}],
    AttributeDefinitions: [{AttributeName: "pk", AttributeType: "S"},
                           {AttributeName: "sk", AttributeType: "N"}],
  }));
  for (const sk of [1, 2, 3]) {
    await page.goto(base + "/tables/admin_made/add-item");
    await page.evaluate(json => editor.setValue(json), JSON.stringify({pk: "p", sk, even: sk % 2 === 0}));
    await Promise.all([page.waitForNavigation(), page.click("#saveButton")]);
  }
  await page.goto(base + "/tables/admin_made/items/p,2");
  assert.deepEqual(JSON.parse(await page.evaluate(() => editor.getValue())), {pk: "p", sk: 2, even: true});

  // Its items page, querying pk = p and sk >= 2 (the query string is the
  // one its filter form writes).
  const filters = {pk: {type: "S", value: "p", operator: "="}, sk: {type: "N", value: "2", operator: ">="}};
  await page.goto(`${base}/tables/admin_made?operationType=query&queryableSelection=table` +
                  `&filters=${encodeURIComponent(JSON.stringify(filters))}`);
  await page.waitForFunction(() => document.querySelectorAll('a[href*="/items/"]').length === 2,
                             {timeout: 20000});
  const queried = await page.$$eval('a[href*="/items/"]',
                                    as => as.map(a => decodeURIComponent(a.href.split("/items/")[1])));
  assert.deepEqual(queried, ["p,2", "p,3"], "query results");

  // Deleted from the table list, after its confirmation dialog.
  await page.goto(base + "/");
  page.once("dialog", dialog => dialog.accept());
  await Promise.all([page.waitForNavigation(),
                     page.click('[data-table-name="admin_made"] a[onclick^="deleteTable"]')]);
  // Gone once the page's DELETE has been answered: looked for until then
  // (a DynamoDB table also leaves ListTables some time after DeleteTable;
  // CI once saw it still listed right after the page's navigation).
  let after;
  for (const end = Date.now() + 20000; ; await new Promise(r => setTimeout(r, 100))) {
    after = await ddb.send(new ListTablesCommand({}));
    if (!after.TableNames.includes("admin_made") || Date.now() > end) break;
  }
  assert.ok(!after.TableNames.includes("admin_made"), "admin_made was deleted");

  assert.deepEqual(problems, [], "dynamodb-admin's pages had problems\n" + output());
} finally {
  await browser.close();
  admin.kill();
}
