// Loads GET /console in headless Chromium and checks what it shows against
// the DynamoDB API: every table with its engine, item count and indexes,
// request rates that move when requests are made, and the first items of
// CONSOLE_TABLE in scan order. Saves a screenshot to CONSOLE_SCREENSHOT.
//
// With CONSOLE_KEY_ID and CONSOLE_KEY_SECRET (a server with auth.mode
// sigv4), first checks that the page shows no table before it is given a
// key, then signs in with it. CONSOLE_DENIED_TABLES (comma-separated) are
// tables that key may not describe: their rows must show the refusal and
// nothing of the table.
import assert from "node:assert/strict";
import {DynamoDBClient, DescribeTableCommand, GetItemCommand, ListTablesCommand, ScanCommand}
  from "@aws-sdk/client-dynamodb";
import {launch, watchedPage} from "./browser.mjs";

const endpoint = process.env.JORMUN_ENDPOINT;
const engine = process.env.CONSOLE_ENGINE;
const itemsTable = process.env.CONSOLE_TABLE;
const keyId = process.env.CONSOLE_KEY_ID;
const secret = process.env.CONSOLE_KEY_SECRET;
const denied = (process.env.CONSOLE_DENIED_TABLES || "").split(",").filter(Boolean);
const ddb = new DynamoDBClient({
  endpoint, region: "us-east-1", maxAttempts: 1,
  credentials: {accessKeyId: keyId || "test", secretAccessKey: secret || "test"},
});

async function expectedTables() {
  const names = [];
  let start;
  do {
    const page = await ddb.send(new ListTablesCommand({ExclusiveStartTableName: start}));
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start);
  return Promise.all(names.map(async name => denied.includes(name) ? {TableName: name, denied: true}
    : (await ddb.send(new DescribeTableCommand({TableName: name}))).Table));
}

function shownTables(page) {
  return page.$$eval("#tables tbody tr", rows => rows.map(row => {
    const field = name => row.querySelector(`[data-field="${name}"]`);
    if (!field("engine")) return {name: row.dataset.table, text: row.textContent};
    return {
      name: row.dataset.table,
      engine: field("engine").dataset.value,
      status: field("status").textContent,
      items: Number(field("items").dataset.value),
      indexes: [...field("indexes").querySelectorAll("[data-index]")]
        .map(i => `${i.dataset.index}:${i.dataset.status}`),
    };
  }));
}

const problems = [];
const browser = await launch();
try {
  const page = await watchedPage(browser, problems);
  await page.goto(`${endpoint}/console#table=${encodeURIComponent(itemsTable)}`);

  if (keyId) {
    await page.waitForSelector("#signin-section:not([hidden])");
    assert.equal(await page.$$eval("#tables tbody tr", rows => rows.length), 0,
                 "tables shown before a key was given");
    await page.type("#key-id", keyId);
    await page.type("#key-secret", secret);
    await page.click("#signin button[type=submit]");
  }
  await page.waitForSelector("body[data-loaded=true]", {timeout: 20000});

  // Requests the rates must show: the page samples /metrics every 3 s.
  for (let i = 0; i < 30; i++) {
    await ddb.send(new GetItemCommand({TableName: itemsTable, Key: {pk: {S: "none"}, sk: {N: "0"}}}));
  }
  await page.waitForFunction(() => {
    const cell = document.querySelector('#rates tr[data-operation="GetItem"] [data-field=rate]');
    return cell && Number(cell.textContent) > 0;
  }, {timeout: 20000});

  const expected = await expectedTables();
  // The page refreshes on its own; the counts it shows are those of the
  // last refresh, made after every write above.
  await page.waitForFunction(() => document.body.dataset.loaded === "true");
  const shown = await shownTables(page);
  assert.deepEqual(shown.map(t => t.name), expected.map(t => t.TableName));
  for (const [i, t] of expected.entries()) {
    const row = shown[i];
    if (t.denied) {
      assert.match(row.text, /AccessDeniedException/, `the refusal of ${t.TableName}`);
      assert.equal(row.engine, undefined, `nothing of ${t.TableName}`);
      continue;
    }
    // The SDK drops DescribeTable's JormunEngine, which it does not know.
    assert.equal(row.engine, engine, `engine of ${t.TableName}`);
    assert.equal(row.status, t.TableStatus, `status of ${t.TableName}`);
    assert.equal(row.items, t.ItemCount, `item count of ${t.TableName}`);
    const indexes = [
      ...(t.GlobalSecondaryIndexes || []).map(g => `${g.IndexName}:${g.IndexStatus}`),
      ...(t.LocalSecondaryIndexes || []).map(l => `${l.IndexName}:ACTIVE`),
    ];
    assert.deepEqual(row.indexes, indexes, `indexes of ${t.TableName}`);
  }

  // The first items of each table, chosen by clicking its name; the table
  // of the URL's #table= last, for the screenshot.
  const order = [...expected.filter(t => t.TableName !== itemsTable && !t.denied),
                 {TableName: itemsTable}];
  for (const {TableName} of order) {
    await page.click(`#tables tr[data-table="${TableName}"] button`);
    await page.waitForFunction(name =>
      document.getElementById("items-table").textContent === name &&
      !document.getElementById("items-section").hidden, {}, TableName);
    const scan = await ddb.send(new ScanCommand({TableName, Limit: 25}));
    const items = await page.$$eval("#items tbody tr", rows => rows.map(r => JSON.parse(r.dataset.item)));
    // Binary values are base64 on the wire, as the page keeps them.
    const wire = JSON.parse(JSON.stringify(scan.Items, (k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v));
    assert.deepEqual(items, wire, `first items of ${TableName}, in scan order`);
    if (scan.Items.length) {
      const firstRow = await page.$eval("#items tbody tr", r => r.textContent);
      assert.ok(firstRow.includes(scan.Items[0].pk.S), `the first item's key of ${TableName} is shown`);
    }
  }
  await page.screenshot({path: process.env.CONSOLE_SCREENSHOT, fullPage: true});
  // The denied tables' DescribeTable calls are refused, as they must be.
  const refusal = [`HTTP 400 for POST ${endpoint}/`,
                   `console: Failed to load resource: the server responded with a status of 400 ` +
                   `(Bad Request) (${endpoint}/)`];
  const unexpected = denied.length ? problems.filter(p => !refusal.includes(p)) : problems;
  assert.deepEqual(unexpected, [], "the page had problems");
} finally {
  await browser.close();
}
