// The managers' questions on the labelled sets, scored the way the dispatcher answers them (blind-team-score.ts).
// blind-team.jsonl (120 lines) was written by a helper who never saw the code; it first ran at 40.0% (48/120):
// only narrow phrasings were read (谁的跟进逾期了, 团队逾期, 我们组都有哪些客户, 孙磊 KPI 这周 were not). After one round
// on general causes (the whole message explained by the questions' words, free word order, question forms
// 谁/哪些/有没有/几个/是不是, 名下/负责/手上, N周/N个月/半个月, a small set of typing slips 客护/带办/代办, English words,
// 大家/组里/各位 for the team, family names for a name glued to what follows) 99.2% (119/120) — no longer held out
// once read. Its one miss is the parser's: 本周业绩目标定为50万 is read as 本周业绩 (show_metrics).
// blind-team2.jsonl (70 lines) was written by someone who never saw the code, after that round: first run 74.3%
// (52/70) — the real generalisation figure. Misses were group words (我们组/咱们部门), 郑强现在跟的客户, request fillers
// (给我来一份, 拉个清单, 瞅瞅), 木有/团对/follow, 指标 with a period, 卡在…这步/还是线索的, 接下来要跟进些啥. After one round
// on those causes 97.1% (68/70); both misses are the rule parser's show_metrics (这系统太卡了 数据老是刷新不出来,
// 本周业绩目标定为50万 每人至少拜访10个客户), not the team reader's.
// team-classes.jsonl was written afterwards by the same author as the rules: 5+ new sentences per class and 24
// that must stay out — a regression guard, not a measure.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatTeamScore, parseTeamJsonl, scoreTeamSet } from "./blind-team-score.ts";

const load = (name: string) => parseTeamJsonl(readFileSync(new URL(`../fixtures/team/${name}`, import.meta.url), "utf8"));

describe("managers' questions on the labelled sets", () => {
  const floors: Record<string, { lines: number; ok: number; other: number }> = {
    "blind-team.jsonl": { lines: 120, ok: 119, other: 23 },
    "blind-team2.jsonl": { lines: 70, ok: 68, other: 13 },
    "team-classes.jsonl": { lines: 80, ok: 79, other: 23 },
  };

  for (const [name, floor] of Object.entries(floors)) {
    it(`${name}: at least ${floor.ok}/${floor.lines}, and no more than today's 'other' lines read as a team question`, async () => {
      const lines = load(name);
      expect(lines).toHaveLength(floor.lines);
      const score = await scoreTeamSet(lines);
      console.log(`${name}\n${formatTeamScore(score)}`);
      expect(score.ok, formatTeamScore(score)).toBeGreaterThanOrEqual(floor.ok);
      expect(score.perAsk.other!.ok, formatTeamScore(score)).toBeGreaterThanOrEqual(floor.other);
    });
  }
});
