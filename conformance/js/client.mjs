// The DynamoDB client the JavaScript tests share: the server under test
// (JORMUN_ENDPOINT), no retries, so a test sees the server's first answer,
// and the key in JORMUN_ACCESS_KEY_ID / JORMUN_SECRET_ACCESS_KEY when a test
// runs against a server that verifies signatures (any key works otherwise).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const client = new DynamoDBClient({
  endpoint: process.env.JORMUN_ENDPOINT,
  region: "us-east-1",
  credentials: {
    accessKeyId: process.env.JORMUN_ACCESS_KEY_ID ?? "js",
    secretAccessKey: process.env.JORMUN_SECRET_ACCESS_KEY ?? "js",
  },
  maxAttempts: 1,
});
