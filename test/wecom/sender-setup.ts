// Shared by the sender suites: one WeCom API simulator per file and senders pointed at it over real HTTP.
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Card } from "../../src/core/card.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { OutboundMessage } from "../../src/core/outbound-message.ts";
import { WecomApi } from "../../src/channels/wecom/wecom-api.ts";
import { WecomSender } from "../../src/channels/wecom/wecom-sender.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";

export const corp = { corpId: "ww0123456789abcdef", secret: "s3cret", agentId: 1000002 };
/** Members M0…M59 exist too, so bursts do not run into the simulator's 30/min per member. */
export const MEMBERS = ["ZhangSan", "LiSi", ...Array.from({ length: 60 }, (_, i) => `M${i}`)];
const log = createLogger("silent");

/** Starts the simulator for the calling test file; read `.sim` inside tests. */
export function useSim(): { sim: WecomApiSim } {
  const holder = {} as { sim: WecomApiSim };
  beforeAll(async () => {
    holder.sim = await startWecomApiSim({ ...corp, members: MEMBERS });
  });
  afterAll(() => holder.sim.close());
  beforeEach(() => {
    holder.sim.requests.length = 0;
    holder.sim.tokenFetches = 0;
  });
  return holder;
}

export function makeSender(sim: WecomApiSim, opts: { now?: () => number; apiBase?: string; secret?: string } = {}) {
  const api = new WecomApi({ corpId: corp.corpId, secret: opts.secret ?? corp.secret, apiBase: opts.apiBase ?? sim.url }, { log, ...(opts.now ? { now: opts.now } : {}) });
  return { api, sender: new WecomSender(api, corp.agentId, log) };
}

export const text = (to: string, t = "你好"): OutboundMessage => ({ platform: "wecom", recipient: to, body: { type: "text", text: t } });

let n = 0;
export const card = (): Card => {
  const ref = `crd_test${String(n++).padStart(8, "0")}`;
  return { ref, purpose: "visit_confirm", title: "已记录拜访", fields: [], buttons: [{ label: "撤销", action: `undo:${ref}`, style: "danger" }] };
};
export const cardMessage = (to: string, c: Card): OutboundMessage => ({ platform: "wecom", recipient: to, body: { type: "card", card: c } });

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure, but it succeeded");
}

export const calls = (sim: WecomApiSim, path: string) => sim.requests.filter((r) => r.path === path).length;
