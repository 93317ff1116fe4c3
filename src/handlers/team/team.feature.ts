// The managers' lists: customers (我的客户, 团队客户, 客户列表 阶段=报价, 超过7天没跟进的客户), to-dos (团队待办,
// 张三的待办, 逾期跟进), one colleague's customers (张三的客户), one colleague's numbers (李四本周业绩) and the team's
// (团队这周业绩怎么样: the same card as 本周业绩), recognised before the parser, scoped by role, paged with 下一页.
import { AppError } from "../../core/app-error.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import type { Feature } from "../engine/feature.ts";
import { usersNamed } from "../../domain/team/team-scope.service.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { handleShowMetrics } from "../metrics/show-metrics.handler.ts";
import { handlePersonMetrics } from "./person-metrics.handler.ts";
import { handlePersonCustomers, handlePersonTodos, handleTeamList, teamListKind, teamPageKind } from "./team-lists.handler.ts";
import { readTeamRequest, STAGE_HINT } from "./team-query.ts";
import { mayBeAPerson } from "./team-words.ts";

/**
 * A name read as a colleague's that no colleague has and that looks like no one's (重点的客户): not this feature's,
 * so the not-understood answer (closest commands) comes instead of 没有找到叫「重点」的同事.
 */
async function namesNoOne(ctx: HandlerContext, name: string): Promise<boolean> {
  return !mayBeAPerson(name) && (await usersNamed(ctx.tx, name)).length === 0;
}

export const teamFeature: Feature = {
  name: "team",
  cards: [teamListKind],
  pending: [teamPageKind],
  commands: [
    {
      matches: (text) => readTeamRequest(text) !== null,
      run: async (ctx, text) => {
        const r = readTeamRequest(text);
        if (!r) return "pass";
        if ((r.kind === "person_todos" || r.kind === "person_customers" || r.kind === "person_metrics") && (await namesNoOne(ctx, r.name))) return "pass";
        switch (r.kind) {
          case "list":
            return handleTeamList(ctx, r.query);
          case "bad_stage":
            assertSalesSide(ctx.user, "查看客户列表");
            throw new AppError("stage_unknown", `没有「${r.word}」这个阶段。可以按这些阶段查看：${STAGE_HINT}，例如「客户列表 阶段=报价」。`);
          case "person_todos":
            return handlePersonTodos(ctx, r.name);
          case "person_customers":
            return handlePersonCustomers(ctx, r.name);
          case "person_metrics":
            return handlePersonMetrics(ctx, r.name, r.period);
          case "team_metrics":
            return handleShowMetrics(ctx, { period: r.period });
        }
      },
    },
  ],
};
