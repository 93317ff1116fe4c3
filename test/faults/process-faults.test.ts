// The real server process killed and stopped (issue 14, faults): `src/main.ts` as its own process on a real
// database (PostgreSQL, or an embedded data folder), WeCom callbacks from the driver and replies counted at the
// API simulator by the text they quote (each message distinct).
// - SIGKILL while messages are acknowledged but not handled and replies wait in the outbox (WeCom unreachable, a
//   send hanging): after a restart every acknowledged message is handled once and every reply sent once.
// - SIGTERM: callbacks are answered 200 only once stored (the rest get a refusal or no connection), the event in
//   hand is finished and the rest handed back (no claim left behind, nothing half-applied), exit 0. (A shutdown
//   that cannot finish is bounded by SHUTDOWN_GRACE_MS: two-instances.test.ts.)
// The server runs share one database in order, so the tests of this file run in sequence.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot } from "../../src/main.ts";
import { eventually } from "../support/eventually.ts";
import { startOpenAiSimulator, type OpenAiSimulator } from "../simulators/openai-server.ts";
import {
  drill,
  faultDatabase,
  killAllServers,
  letDeadClaimsExpire,
  postOnce,
  queueDepths,
  repliesByMessage,
  startServer,
  wecomSide,
  type FaultDatabase,
  type ServerProcess,
  type WecomSide,
} from "./server-process.ts";

let db: FaultDatabase;
let side: WecomSide;
let server: ServerProcess | null = null;
let llm: OpenAiSimulator;

beforeAll(async () => {
  [db, side, llm] = await Promise.all([faultDatabase(), wecomSide(20), startOpenAiSimulator()]);
  // A slow model that answers nothing usable: each message waits a moment, then the rule parser reads it. Only the
  // first server uses it, so a backlog of acknowledged messages is certain to be there when it is killed.
  llm.setDefault(() => ({ kind: "content", content: "(not json)", delayMs: 1000 }));
}, 120_000);
afterAll(async () => {
  await killAllServers();
  await llm?.close();
  await side?.sim.close();
  await db?.destroy();
});

const start = () => startServer({ ...db.env, ...side.env, SHUTDOWN_GRACE_MS: "10000" });

/**
 * `perRep` distinct messages from each rep, all at once; a callback not answered 200 is sent again as WeCom does
 * (the same bytes, a few times). Returns each text with the status it was finally answered.
 */
async function burst(url: string, run: string, perRep = 2): Promise<{ text: string; status: number }[]> {
  const driver = side.driver(url);
  const jobs = side.reps.flatMap((rep, r) => Array.from({ length: perRep }, (_, k) => ({ rep, text: drill(run, r * perRep + k) })));
  return Promise.all(
    jobs.map(async (j) => {
      let r = await postOnce(driver, j.rep, j.text);
      for (let retry = 0; retry < 5 && r.status !== 200; retry++) r = await postOnce(driver, j.rep, j.text, r.prepared);
      return { text: j.text, status: r.status };
    }),
  );
}

/** Waits until every text in `texts` got its reply and both queues are empty, then returns the reply counts. */
async function settled(url: string, run: string, texts: string[]): Promise<Map<string, number>> {
  await eventually(() => texts.every((t) => repliesByMessage(side.sim, run).has(t)), `a reply to each of ${texts.length} acknowledged messages`, 40_000);
  await eventually(async () => {
    const q = await queueDepths(url);
    return q?.inbox === 0 && q.outbox === 0;
  }, "inbox and outbox empty", 20_000);
  return repliesByMessage(side.sim, run);
}

const pendingWork = (run: string) =>
  db.use(async (d) => {
    const [row] = await d.sql.query<{ inbox: number; claimedInbox: number; outbox: number; claimedOutbox: number; done: number; replies: number }>(
      `SELECT (SELECT count(*)::int FROM "InboxEvent" WHERE status = 'pending') AS inbox,
              (SELECT count(*)::int FROM "InboxEvent" WHERE status = 'pending' AND "lockedUntil" > now()) AS "claimedInbox",
              (SELECT count(*)::int FROM "OutboxMessage" WHERE status = 'pending') AS outbox,
              (SELECT count(*)::int FROM "OutboxMessage" WHERE status = 'pending' AND "lockedUntil" > now()) AS "claimedOutbox",
              (SELECT count(*)::int FROM "InboxEvent" WHERE status = 'done' AND payload->>'text' LIKE $1) AS done,
              (SELECT count(*)::int FROM "OutboxMessage" WHERE payload::text LIKE $1) AS replies`,
      [`%故障演练 ${run}-%`],
    );
    return row!;
  });

describe.sequential("the server process", () => {
  it("killed (SIGKILL) with messages acknowledged but not handled and replies in the outbox: after a restart each is handled once and sent once", async () => {
    const run = `k${randomBytes(2).toString("hex")}`;
    side.sim.setOutage("timeout"); // WeCom unreachable: replies queue up, and a send hangs when the kill comes
    const first = await startServer({ ...db.env, ...side.env, OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: llm.apiKey, OPENAI_MODEL: "slow-model" });
    const answers = await burst(first.url, run);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Killed once the first reply is on its way (its send hanging), while the slow model holds back the rest.
    await eventually(() => side.sim.heldCount > 0, "a reply on its way to WeCom", 30_000);
    expect((await first.kill("SIGKILL")).signal).toBe("SIGKILL");
    side.sim.setOutage(null);

    const atKill = await pendingWork(run);
    expect(atKill.inbox, `acknowledged, not handled yet (${JSON.stringify(atKill)}, model asked ${llm.requests.length} times)`).toBeGreaterThan(0);
    expect(atKill.outbox).toBeGreaterThan(0); // replies waiting
    expect(repliesByMessage(side.sim, run).size).toBe(0);
    await db.use(letDeadClaimsExpire);

    server = await start();
    const counts = await settled(server.url, run, answers.map((a) => a.text));
    expect(counts.size).toBe(answers.length);
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
  }, 120_000);

  it("stopped (SIGTERM) while it works and callbacks keep coming: 200 only for what is stored, claims handed back, exit 0; the restart finishes the rest once", async () => {
    const run = `t${randomBytes(2).toString("hex")}`;
    const s = server!;
    const driver = side.driver(s.url);
    const answers = await burst(s.url, run);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);

    const exit = s.kill("SIGTERM");
    let stopped = false;
    void exit.then(() => (stopped = true));
    // Callbacks keep arriving while it stops, one after the other from each rep.
    let n = answers.length;
    const late: { text: string; status: number }[] = [];
    await Promise.all(
      side.reps.slice(0, 5).map(async (rep) => {
        while (!stopped) {
          const text = drill(run, n++);
          late.push({ text, status: (await postOnce(driver, rep, text)).status });
        }
      }),
    );
    const { code } = await exit;
    expect(code, s.output()).toBe(0); // finished within SHUTDOWN_GRACE_MS, not cut short by it
    server = null;
    expect(late.some((l) => l.status !== 200)).toBe(true); // it did stop answering

    const after = await pendingWork(run);
    expect(after.claimedInbox).toBe(0); // in-flight events finished or handed back, not left claimed
    expect(after.claimedOutbox).toBe(0);
    expect(after.replies).toBe(after.done); // every handled event has its reply: nothing half-applied

    // The next start (here in this process, to spare a third server start) finishes the rest, once.
    const acked = [...answers, ...late.filter((l) => l.status === 200)].map((a) => a.text);
    const counts = await db.use(async (database) => {
      const env = parseEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", JOBS: "false", ...side.env });
      const bot = await startBot(env, { database, log: createLogger("silent") });
      try {
        return await settled(bot.url, run, acked);
      } finally {
        await bot.stop();
      }
    });
    expect(acked.filter((t) => counts.get(t) !== 1)).toEqual([]);
    // A callback refused or cut during the stop may have been stored first: then it is answered, once at most.
    expect([...counts].filter(([, c]) => c > 1)).toEqual([]);
  }, 120_000);
});
