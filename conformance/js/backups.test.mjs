// Backups through the AWS SDK for JavaScript v3: CreateBackup,
// DescribeBackup, ListBackups, RestoreTableFromBackup, DeleteBackup and the
// typed BackupNotFoundException. JORMUN_ENDPOINT names the server under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateTableCommand, DeleteTableCommand, PutItemCommand, ScanCommand,
  CreateBackupCommand, DescribeBackupCommand, ListBackupsCommand, DeleteBackupCommand,
  RestoreTableFromBackupCommand, DescribeTableCommand, BackupNotFoundException,
  TableNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { client } from "./client.mjs";

const table = `js_backup_${process.pid}`;
const restored = `js_restored_${process.pid}`;

test("backups through the JavaScript SDK", async () => {
  await client.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  try {
    for (let i = 0; i < 7; i++)
      await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `i${i}` } } }));
    const { BackupDetails } = await client.send(
      new CreateBackupCommand({ TableName: table, BackupName: "js-backup" }));
    assert.equal(BackupDetails.BackupStatus, "AVAILABLE");
    assert.ok(BackupDetails.BackupCreationDateTime instanceof Date);
    const arn = BackupDetails.BackupArn;
    const described = await client.send(new DescribeBackupCommand({ BackupArn: arn }));
    assert.equal(described.BackupDescription.SourceTableDetails.TableName, table);
    assert.equal(described.BackupDescription.SourceTableDetails.ItemCount, 7);
    const listed = await client.send(new ListBackupsCommand({ TableName: table }));
    assert.deepEqual(listed.BackupSummaries.map((b) => b.BackupArn), [arn]);

    const restore = await client.send(
      new RestoreTableFromBackupCommand({ TargetTableName: restored, BackupArn: arn }));
    assert.equal(restore.TableDescription.RestoreSummary.SourceBackupArn, arn);
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: restored }));
      if (Table.TableStatus === "ACTIVE") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const scan = await client.send(new ScanCommand({ TableName: restored }));
    assert.equal(scan.Count, 7);
    await client.send(new DeleteTableCommand({ TableName: restored }));

    await client.send(new DeleteBackupCommand({ BackupArn: arn }));
    await assert.rejects(
      client.send(new DescribeBackupCommand({ BackupArn: arn })),
      (err) => err instanceof BackupNotFoundException && err.message === `Backup not found: ${arn}`);
    await assert.rejects(
      client.send(new CreateBackupCommand({ TableName: "js_no_such_table", BackupName: "x-1" })),
      (err) => err instanceof TableNotFoundException);
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
  }
});
