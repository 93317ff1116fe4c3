// One directory sync, whoever asks (the schedule, npm run sync, 同步通讯录 in chat): read every configured address
// book (outside any transaction: the platforms may take seconds), apply what they say in one transaction, then hand
// each leaver's customers and open follow-ups to their successor — one unit of work per leaver, so the successor is
// told in the same commit as the handover and a crash in between is finished by the next sync.
import { directorySyncText, type SyncSummaryView } from "../../../cards/admin/directory-sync.text.ts";
import type { DirectorySnapshot } from "../../core/directory-port.ts";
import { applyDirectory, type DirectoryApplied } from "../../domain/directory/directory.service.ts";
import { handOver, leaversWithWork, successorOf, userName, type Handover } from "../../domain/directory/handover.service.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit } from "../engine/unit-of-work.ts";

export interface DirectorySyncOutcome extends DirectoryApplied {
  handedOver: Handover[];
  unassigned: SyncSummaryView["unassigned"];
  failed: SyncSummaryView["failed"];
}

/** Why a sync cannot run here at all, or null. */
export function directorySyncUnavailable(deps: AppDeps): string | null {
  const config = deps.rules.directory;
  if (!config) return "the org file has no directory section";
  const sources = (deps.directory ?? []).filter((s) => !config.platforms || config.platforms.includes(s.platform));
  if (!sources.length) return config.platforms ? `no configured platform among directory.platforms (${config.platforms.join(", ")})` : "neither WeCom nor DingTalk is configured";
  return null;
}

export class DirectorySyncError extends Error {}

export async function runDirectorySync(deps: AppDeps, now: Date, runKey: string): Promise<DirectorySyncOutcome> {
  const unavailable = directorySyncUnavailable(deps);
  if (unavailable) throw new DirectorySyncError(unavailable);
  const config = deps.rules.directory!;
  const sources = (deps.directory ?? []).filter((s) => !config.platforms || config.platforms.includes(s.platform));
  const log = deps.log.child({ job: "directory-sync", run: runKey });
  const snapshots: DirectorySnapshot[] = [];
  const failed: SyncSummaryView["failed"] = [];
  for (const source of sources) {
    try {
      const s = await source.read();
      log.info("address book read", { platform: s.platform, departments: s.departments.length, members: s.members.length, calls: s.calls });
      // Nobody at all is a visible-range (可见范围) problem, not the whole company leaving.
      if (!s.members.some((m) => m.active)) throw new Error("the address book answered with nobody in it: check the app's visible range (可见范围 / 通讯录权限)");
      snapshots.push(s);
    } catch (err) {
      log.error("address book could not be read; nothing of it changes", { platform: source.platform, err });
      failed.push({ platform: source.platform, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (!snapshots.length) throw new DirectorySyncError(`no address book could be read: ${failed.map((f) => `${f.platform}: ${f.error}`).join("; ")}`);
  const applied = await applyDirectory(deps.db, snapshots, config, now);
  const { handedOver, unassigned } = await handOverLeavers(deps, now, runKey, new Set(applied.deactivated.map((d) => d.id)));
  const outcome = { ...applied, handedOver, unassigned, failed };
  log.info("directory synced", { added: applied.added.length, updated: applied.updated.length, deactivated: applied.deactivated.length, handedOver: handedOver.length, failed: failed.length });
  return outcome;
}

async function handOverLeavers(deps: AppDeps, now: Date, runKey: string, leftNow: Set<string>): Promise<{ handedOver: Handover[]; unassigned: { id: string; name: string }[] }> {
  const handedOver: Handover[] = [];
  const unassigned: { id: string; name: string }[] = [];
  const eventId = `job:directory-sync:${runKey}`;
  const ids = new Set([...(await leaversWithWork(deps.db)), ...leftNow]);
  for (const id of ids) {
    try {
      const r = await runJobUnit(deps, { job: "directory-sync", period: runKey, subject: `handover:${id}` }, async (ctx) => {
        const to = await successorOf(ctx.tx, id, deps.rules.directory?.fallbackManager);
        const who = (await userName(ctx.tx, id)) ?? id;
        if (!to) return { kind: "unassigned" as const, name: who };
        const h = await handOver(ctx.tx, id, to, eventId, now);
        const text = h
          ? `${who}已离开通讯录（已停用）。TA名下的${h.customers.length}个客户${h.customers.length ? `（${h.customers.slice(0, 10).join("、")}${h.customers.length > 10 ? " 等" : ""}）` : ""}和${h.tasks}项未完成待办已转给你。发送「我的待办」查看。`
          : `${who}已离开通讯录（已停用），名下没有客户和待办需要交接。`;
        if (h || leftNow.has(id)) await ctx.out.notify(to.id, { type: "text", text }, `directory-handover:${id}:${runKey}`);
        return h ? { kind: "handed" as const, h } : { kind: "nothing" as const };
      });
      if (r.status !== "done") continue;
      if (r.value.kind === "handed") handedOver.push(r.value.h);
      if (r.value.kind === "unassigned") {
        unassigned.push({ id, name: r.value.name });
        deps.log.warn("a leaver's customers have nobody to go to: set directory.fallbackManager", { userId: id });
      }
    } catch (err) {
      deps.log.error("handover failed for one leaver; the next sync tries again", { err, userId: id });
    }
  }
  return { handedOver, unassigned };
}

export function syncSummary(o: DirectorySyncOutcome): string {
  return directorySyncText({ ...o, handedOver: o.handedOver.map((h) => ({ fromName: h.fromName, toName: h.toName, customers: h.customers.length, tasks: h.tasks })) });
}

/** What a job run or the admin route reports: counts only. */
export function syncCounts(o: DirectorySyncOutcome): Record<string, number> {
  return { added: o.added.length, updated: o.updated.length, reactivated: o.reactivated.length, deactivated: o.deactivated.length, handedOver: o.handedOver.length, unassigned: o.unassigned.length, failed: o.failed.length };
}
