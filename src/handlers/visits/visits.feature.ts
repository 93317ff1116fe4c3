// Visit log: free text → pick/confirm customer → activity, contact, follow-up → confirmation card (修改/撤销).
import { gluedVisitCorrection, looksLikeVisitCorrection } from "../../nlu/index.ts";
import type { Feature } from "../engine/feature.ts";
import { withoutEditFiller } from "../orders/order-edit-answer.ts";
import { handleLogVisit, visitPick } from "./log-visit.handler.ts";
import { handleCorrectVisit, handleGluedCorrection, visitConfirmKind } from "./visit-actions.handler.ts";

export const visitsFeature: Feature = {
  name: "visits",
  intents: { log_visit: handleLogVisit },
  cards: [visitConfirmKind],
  pending: [visitPick],
  // "改 跟进 周五下午3点" corrects the newest visit; recognised before the parser.
  // "改联系人王总" (no space) is answered with the syntax (`改 联系人 王总`), not "not understood".
  commands: [
    // 改下数量 5卷: the filler after 改 is dropped (withoutEditFiller).
    { matches: (text) => looksLikeVisitCorrection(withoutEditFiller(text)), run: handleCorrectVisit },
    { matches: (text) => gluedVisitCorrection(text) !== null, run: handleGluedCorrection },
  ],
};
