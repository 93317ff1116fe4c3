// 帮助, and what is said to anything not understood. Orders, approvals and shipments answer "not yet" until
// their features land. Orders and approvals are in orders/.
import type { Feature } from "../engine/feature.ts";
import { handleHelp, handleUnknown } from "./help.handler.ts";
import { pageBackCommand } from "./list-paging.ts";

export const helpFeature: Feature = {
  name: "help",
  intents: {
    help: (ctx) => handleHelp(ctx),
    unknown: (ctx, _intent, text) => handleUnknown(ctx, text),
  },
  // 上一页: the lists page forward only (下一页 is each list kind's typed twin, list-paging.ts).
  commands: [pageBackCommand],
};
