// The floor for the WeCom callback on this machine: a separate minimal Express server whose route does only what
// the protocol cannot do without — read the body, parse the envelope, check the signature, decrypt with
// @wecom/crypto (the bot's own functions for these steps) — and answers an empty 200. The bot's real callback
// does this plus parse the message, store it durably in the inbox, and only then answer.
import express from "express";
import type { AddressInfo } from "node:net";
import { callbackParams, openEncrypted, rawQuery, verifySignature } from "../../../src/channels/wecom/wecom-crypto.ts";
import { parseEnvelope } from "../../../src/channels/wecom/wecom-xml.ts";
import { serveParent } from "./child.ts";

const { FLOOR_TOKEN: token = "", FLOOR_AES_KEY: aesKey = "", FLOOR_CORP_ID: corpId = "" } = process.env;
const app = express();
app.disable("x-powered-by");
app.post("/wecom/callback", express.raw({ type: () => true, limit: 1 << 20 }), (req, res) => {
  try {
    const params = callbackParams(rawQuery(req.originalUrl), Date.now());
    const envelope = parseEnvelope(Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "");
    verifySignature(token, params, envelope.Encrypt);
    openEncrypted(aesKey, corpId, envelope.Encrypt);
    res.status(200).end();
  } catch {
    res.status(400).end();
  }
});
const server = app.listen(0, "127.0.0.1", () => {
  serveParent(
    { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    {
      stats: () => ({ cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20 }),
      stop: () => (server.close(), setImmediate(() => process.exit(0)), true),
    },
  );
});
