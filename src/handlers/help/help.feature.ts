// 帮助, and what is said to anything not understood. Orders, approvals and shipments answer "not yet" until
// their features land. Orders and approvals are in orders/.
import type { Feature } from "../engine/feature.ts";
import { handleHelp, handleUnknown } from "./help.handler.ts";

export const helpFeature: Feature = {
  name: "help",
  intents: {
    help: (ctx) => handleHelp(ctx),
    unknown: (ctx, _intent, text) => handleUnknown(ctx, text),
  },
};
