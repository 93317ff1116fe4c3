// The floor for the WeCom callback on this machine: a separate minimal server whose route does only what the
// protocol cannot do without — read the body, parse the envelope, check the signature, decrypt with @wecom/crypto
// (the bot's own functions for these steps) — and answers an empty 200. The bot's real callback does this plus
// parse the message, store it durably in the inbox, and only then answer.
// FLOOR_HTTP=node: a bare node:http server, as the bot itself answers callbacks ahead of Express; FLOOR_HTTP=express:
// the same route in Express with express.raw(), the bare Express route of the first measurements.
// FLOOR_COMMIT_URL (with node): the node:http floor plus one durable single-row INSERT (autocommit, plain pg, no
// batching) before the 200 — what acknowledging only after a commit costs on this machine's disk, for comparison.
import express from "express";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "../../../src/channels/wecom/plain-http.ts";
import { callbackParams, openEncrypted, rawQuery, verifySignature } from "../../../src/channels/wecom/wecom-crypto.ts";
import { parseEnvelope } from "../../../src/channels/wecom/wecom-xml.ts";
import pg from "pg";
import { serveParent } from "./child.ts";

const { FLOOR_TOKEN: token = "", FLOOR_AES_KEY: aesKey = "", FLOOR_CORP_ID: corpId = "", FLOOR_HTTP: kind = "node", FLOOR_COMMIT_URL: commitUrl } = process.env;
// Idle connections are kept (idleTimeoutMillis 0): a backend that exits takes its CPU time out of the bench's /proc
// sum for this database, which would make the bot's PostgreSQL CPU per callback come out low, even negative.
const pool = commitUrl ? new pg.Pool({ connectionString: commitUrl, max: 10, idleTimeoutMillis: 0 }) : null;
if (pool) await pool.query(`CREATE TABLE IF NOT EXISTS bench_floor_commit (id bigserial PRIMARY KEY, body text NOT NULL)`);
const LIMIT = 1 << 20;

/** The protocol's own work; true when the callback is genuine. */
function check(url: string, body: string): boolean {
  try {
    const params = callbackParams(rawQuery(url), Date.now());
    const envelope = parseEnvelope(body);
    verifySignature(token, params, envelope.Encrypt);
    openEncrypted(aesKey, corpId, envelope.Encrypt);
    return true;
  } catch {
    return false;
  }
}

let server: Server;
if (kind === "express") {
  const app = express();
  app.disable("x-powered-by");
  app.post("/wecom/callback", express.raw({ type: () => true, limit: LIMIT }), (req, res) => {
    res.status(check(req.originalUrl, Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "") ? 200 : 400).end();
  });
  server = createServer(app);
} else {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "";
    if (req.method !== "POST" || !/^\/wecom\/callback(\?|$)/.test(url)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    readBody(req, LIMIT, (err, body) => {
      const ok = !err && check(url, body);
      if (!ok || !pool) {
        res.statusCode = ok ? 200 : 400;
        res.end();
        return;
      }
      pool.query(`INSERT INTO bench_floor_commit (body) VALUES ($1)`, [body]).then(
        () => ((res.statusCode = 200), res.end()),
        () => ((res.statusCode = 503), res.end()),
      );
    });
  });
}
server.listen(0, "127.0.0.1", () => {
  serveParent(
    { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    {
      stats: () => ({ cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20 }),
      stop: () => (server.close(), setImmediate(() => process.exit(0)), true),
    },
  );
});
