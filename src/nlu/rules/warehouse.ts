/** Intents that carry an order number: confirm_shipment, report_shipment_problem, decide_approval. */
import type { IntentOf } from "../intent.ts";
import { REJECT_WORDS } from "./classify.ts";
import { carrierFromTrackingNo, findCarrier, findOrders, findTrackingNo } from "./orders.ts";
import { findQuantities } from "./quantities.ts";
import { blank, tokens } from "./text.ts";

export function buildShipment(text: string, order: string): IntentOf<"confirm_shipment"> {
  const out: IntentOf<"confirm_shipment"> = { intent: "confirm_shipment", order };
  const noOrder = blank(text, findOrders(text));
  const tracking = findTrackingNo(noOrder);
  const rest = tracking ? blank(noOrder, [tracking]) : noOrder;
  const carrier = findCarrier(rest)?.carrier ?? (tracking ? carrierFromTrackingNo(tracking.tracking_no) : undefined);
  if (carrier) out.carrier = carrier; // "自提" (customer pick-up) is kept as the carrier
  if (tracking) out.tracking_no = tracking.tracking_no;
  const q = findQuantities(rest)[0];
  if (q) out.quantity = q.value;
  return out;
}

const PROBLEM_LABEL = /^(?:缺货|有问题|问题|异常|发不了|发不出去?|无法发货|不能发货|暂时发不了|暂时发不出去?|出问题了)$/;

export function buildProblem(text: string, order: string): IntentOf<"report_shipment_problem"> {
  const parts = tokens(blank(text, findOrders(text)));
  const content = parts.filter((p) => !PROBLEM_LABEL.test(p));
  const reason = (content.length ? content : parts).join(" ").replace(/^(?:原因|理由)\s*/, "").trim();
  return { intent: "report_shipment_problem", order, reason: (reason || "未说明").slice(0, 300) };
}

const DECISION_WORDS = /不同意|驳回|拒绝|不批|打回|否决|不通过|不行|不予|同意|批准|通过|批了|准了|可以|\bok\b|okay|行了|没问题|准予|reject|approve/gi;

export function buildApproval(text: string, order: string): IntentOf<"decide_approval"> {
  const decision = REJECT_WORDS.test(text) ? "reject" : "approve";
  const out: IntentOf<"decide_approval"> = { intent: "decide_approval", order, decision };
  const reason = tokens(blank(text, findOrders(text)).replace(DECISION_WORDS, " "))
    .join(" ")
    .replace(/^(?:理由|原因)\s*/, "")
    .replace(/了$/, "")
    .trim();
  if (reason.length >= 2) out.reason = reason.slice(0, 300);
  return out;
}
