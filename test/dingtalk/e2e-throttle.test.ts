// End to end through the real outbox: every form of DingTalk throttling is retried with back-off (or after the
// wait DingTalk names) and the message is finally delivered. The pause is read from the retry the outbox
// scheduled; then the test lets it go by (the retry falls due at once, as in outbox-delivery.test.ts) instead of
// waiting for it in real time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { THROTTLE_FORMS, type ApiCall, type ThrottleForm } from "../simulators/dingtalk-openapi.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { startDingtalkBot } from "./e2e-helpers.ts";

const BATCH = "/v1.0/robot/oToMessages/batchSend";
const EXPIRED = Date.parse("2026-11-23T09:00:00+08:00"); // the session webhook is gone: replies use batchSend
const USERS = ["0101", "0102", "0201", "0301", "0401"];
let gw: DingtalkGateway;
let bot: TestBot;
let turn = 0;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot());
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

/**
 * A picture (answered with a short text) from the next user; resolves to that user's batchSend calls and, for
 * each throttled call, the pause until the retry the outbox scheduled after it.
 */
async function replyThrough(faults: number, form: ThrottleForm): Promise<{ calls: ApiCall[]; pauses: number[] }> {
  const user = USERS[turn++ % USERS.length]!;
  const before = gw.calls(BATCH).length;
  const since = new Date();
  gw.throttle(form, faults, BATCH);
  gw.sendRobot(gw.robotMessage({ staffId: user, msgtype: "picture", webhookExpiresAt: EXPIRED }));
  const mine = () => gw.calls(BATCH).slice(before).filter((c) => JSON.stringify(c.body).includes(user));
  const pauses: number[] = [];
  for (let attempts = 1; attempts <= faults; attempts++) {
    const where = { recipient: user, createdAt: { gte: since }, status: "pending" as const, attempts, lockedUntil: null, lastError: { not: null } };
    const waiting = await eventually(() => bot.db.prisma.outboxMessage.findFirst({ where }), `the retry scheduled after attempt ${attempts}`);
    const throttled = mine().filter((c) => c.fault)[attempts - 1];
    expect(throttled).toBeDefined();
    pauses.push(waiting.nextAttemptAt.getTime() - throttled!.at);
    await bot.db.prisma.outboxMessage.updateMany({ where: { ...where, id: waiting.id }, data: { nextAttemptAt: new Date(0) } }); // the pause goes by
    bot.outboxWorker.wake();
  }
  await eventually(() => mine().some((c) => c.status === 200 && !c.fault), "the delivery");
  const row = await eventually(() => bot.db.prisma.outboxMessage.findFirst({ where: { recipient: user, status: "sent", createdAt: { gte: since } } }), "the reply marked sent");
  expect(row.attempts).toBe(faults + 1);
  return { calls: mine(), pauses };
}

describe("DingTalk throttling, end to end", () => {
  it.each(Object.keys(THROTTLE_FORMS) as ThrottleForm[])("%s: retried after a pause, then delivered", async (form) => {
    const {
      calls: [throttled, delivered],
      pauses: [pause],
    } = await replyThrough(1, form);
    expect(throttled?.fault).toBe(true);
    expect(delivered?.fault).toBeFalsy();
    // The outbox's first back-off is 1 s ± 20 %; the IP block's `wait` and Retry-After are 1 s here.
    expect(pause).toBeGreaterThanOrEqual(/IP block|Retry-After/.test(form) ? 1000 : 750);
  });

  it("the pause grows while throttling lasts", async () => {
    const { calls, pauses } = await replyThrough(2, "errcode 90018");
    expect(calls.map((c) => Boolean(c.fault))).toEqual([true, true, false]);
    expect(pauses[1]).toBeGreaterThan(pauses[0]!);
  });
});
