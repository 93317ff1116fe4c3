// Visit log: free text → pick/confirm customer → activity, contact, follow-up → confirmation card (修改/撤销).
import { looksLikeVisitCorrection } from "../../nlu/index.ts";
import type { Feature } from "../engine/feature.ts";
import { handleLogVisit, visitPick } from "./log-visit.handler.ts";
import { handleCorrectVisit, visitConfirmKind } from "./visit-actions.handler.ts";

export const visitsFeature: Feature = {
  name: "visits",
  intents: { log_visit: handleLogVisit },
  cards: [visitConfirmKind],
  pending: [visitPick],
  // "改 跟进 周五下午3点" corrects the newest visit; recognised before the parser.
  commands: [{ matches: looksLikeVisitCorrection, run: handleCorrectVisit }],
};
