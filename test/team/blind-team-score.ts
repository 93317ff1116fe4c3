// Scores the managers' questions (test/fixtures/team/*.jsonl) the way the dispatcher answers them: a command of
// an earlier feature (转交 …, 改 客户 …) or a card's typed twin takes the message first; else the team command
// (readTeamRequest, before the parser); else the rule parser, whose show_metrics is the asker's scope's card —
// the team's for a manager (本周业绩, 团队业绩). Anything else is "other": not read as a team question.
import { z } from "zod";
import { FEATURES } from "../../src/handlers/features.ts";
import { readTeamRequest, type Stage, type TeamRequest } from "../../src/handlers/team/team-query.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

export const ASKS = [
  "team_customers", "own_customers", "person_customers", "stage_customers", "idle_customers", "team_todos", "person_todos",
  "overdue", "own_overdue", "team_metrics", "person_metrics", "other",
] as const;

const LineSchema = z.object({
  text: z.string().min(1),
  expect: z.object({
    ask: z.enum(ASKS),
    person: z.string().optional(),
    stage: z.enum(["线索", "已接触", "已确认需求", "方案报价", "商务谈判", "成交", "输单"]).optional(),
    days: z.number().int().positive().optional(),
    period: z.enum(["today", "week", "month"]).optional(),
  }).strict(),
}).strict();
export type TeamLine = z.infer<typeof LineSchema>;
export type Read = { ask: string; person?: string; stage?: string; days?: number; period?: string; by?: string };

export function parseTeamJsonl(text: string): TeamLine[] {
  return text.split("\n").filter((l) => l.trim()).map((l, i) => {
    const r = LineSchema.safeParse(JSON.parse(l));
    if (!r.success) throw new Error(`line ${i + 1}: ${r.error.message}`);
    return r.data;
  });
}

const STAGE_NAMES: Record<Stage, string> = { lead: "线索", contacted: "已接触", qualified: "已确认需求", proposal: "方案报价", negotiation: "商务谈判", won: "成交", lost: "输单" };

/** What the team command makes of a request, in the set's terms. */
export function askOf(r: TeamRequest): Read {
  switch (r.kind) {
    case "bad_stage": return { ask: "bad_stage" };
    case "person_todos": return { ask: "person_todos", person: r.name };
    case "person_customers": return { ask: "person_customers", person: r.name };
    case "person_metrics": return { ask: "person_metrics", person: r.name, period: r.period };
    case "team_metrics": return { ask: "team_metrics", period: r.period };
    case "list": {
      const q = r.query;
      if (q.list === "todos") return q.personId ? { ask: "person_todos" } : { ask: "team_todos" };
      if (q.list === "overdue") return { ask: q.own ? "own_overdue" : "overdue" };
      if (q.stage) return { ask: "stage_customers", stage: STAGE_NAMES[q.stage] };
      if (q.idleDays) return { ask: "idle_customers", days: q.idleDays };
      return { ask: q.own ? "own_customers" : "team_customers" };
    }
  }
}

const parser = createRulesParser();
const NOW = new Date("2026-12-05T10:00:00+08:00");

/** Which feature's command or typed twin answers the text before the team command, if any. */
function takenEarlier(text: string): string | null {
  const t = text.trim();
  for (const f of FEATURES) {
    for (const kind of f.cards ?? []) if ((kind.typed ?? []).some((tw: { pattern: RegExp }) => tw.pattern.test(t))) return `${f.name} (typed)`;
  }
  for (const f of FEATURES) {
    if (f.name === "team") return null;
    if ((f.commands ?? []).some((c) => c.matches(t))) return f.name;
  }
  return null;
}

export async function readLine(text: string): Promise<Read> {
  const earlier = takenEarlier(text);
  if (earlier) return { ask: "other", by: earlier };
  const r = readTeamRequest(text);
  if (r) return { ...askOf(r), by: "team" };
  const intent = await parser.parse(text.trim(), { now: NOW, timeZone: "Asia/Shanghai" });
  if (intent.intent === "show_metrics") return { ask: "team_metrics", period: intent.period ?? "week", by: "parser" };
  return { ask: "other", by: `parser:${intent.intent}` };
}

export interface TeamScore {
  lines: number;
  ok: number;
  perAsk: Record<string, { ok: number; total: number }>;
  misses: { line: TeamLine; got: Read }[];
}

export function lineOk(line: TeamLine, got: Read): boolean {
  const e = line.expect;
  if (got.ask !== e.ask) return false;
  return (["person", "stage", "days", "period"] as const).every((k) => e[k] === undefined || e[k] === got[k]);
}

export async function scoreTeamSet(lines: TeamLine[]): Promise<TeamScore> {
  const s: TeamScore = { lines: lines.length, ok: 0, perAsk: {}, misses: [] };
  for (const line of lines) {
    const got = await readLine(line.text);
    const ok = lineOk(line, got);
    const a = (s.perAsk[line.expect.ask] ??= { ok: 0, total: 0 });
    a.total++;
    if (ok) { a.ok++; s.ok++; } else s.misses.push({ line, got });
  }
  return s;
}

const pct = (ok: number, total: number) => `${((100 * ok) / total).toFixed(1)}% (${ok}/${total})`;

export function formatTeamScore(s: TeamScore): string {
  return [
    `overall ${pct(s.ok, s.lines)}`,
    ...ASKS.filter((a) => s.perAsk[a]).map((a) => `  ${a.padEnd(17)} ${pct(s.perAsk[a]!.ok, s.perAsk[a]!.total)}`),
    `misses (${s.misses.length}):`,
    ...s.misses.map((m) => `  - ${m.line.text}  want ${JSON.stringify(m.line.expect)} got ${JSON.stringify(m.got)}`),
  ].join("\n");
}
