// Orders and discount approvals: 下单 … → priced by the order engine, checked, approved at once within the rep's
// authority or sent to the approvers as cards; 同意/驳回, 撤回, 订单 SO-…, 我的订单; 价格表 / 电机A多少钱; 待审批 (what
// waits for the asker's decision, or a rep's own orders waiting).
import type { Feature } from "../engine/feature.ts";
import { approvalListCommands, approvalListKind } from "./approval-list.handler.ts";
import { approvalKind, handleDecideApproval, rejectReason } from "./approval.handler.ts";
import { orderCommands, orderKind } from "./order-queries.handler.ts";
import { handlePriceList } from "./price-list.handler.ts";
import { correctDraft, draftPending, handlePlaceOrder, orderDraftKind, orderPick, pickProductKind } from "./place-order.handler.ts";
import { looksLikeOrderCorrection } from "../../nlu/index.ts";

export const ordersFeature: Feature = {
  name: "orders",
  intents: { place_order: handlePlaceOrder, decide_approval: handleDecideApproval, price_list: handlePriceList },
  cards: [orderKind, orderDraftKind, approvalKind, pickProductKind, approvalListKind],
  pending: [orderPick, draftPending],
  questions: [rejectReason],
  // "改 数量 300" corrects an open draft (else it passes to the visit correction).
  commands: [{ matches: looksLikeOrderCorrection, run: correctDraft }, ...approvalListCommands, ...orderCommands],
};
