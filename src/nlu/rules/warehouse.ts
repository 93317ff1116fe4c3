/** Intents that carry an order number: confirm_shipment, report_shipment_problem, decide_approval. */
import type { IntentOf } from "../intent.ts";
import { PROBLEM_WORDS, REJECT_WORDS } from "./classify.ts";
import { carrierFromTrackingNo, findCarrier, findOrders, findTrackingNo } from "./orders.ts";
import { findQuantities, pickQuantity } from "./quantities.ts";
import { blank, tokens } from "./text.ts";

export function buildShipment(text: string, order: string | undefined): IntentOf<"confirm_shipment"> {
  const out: IntentOf<"confirm_shipment"> = { intent: "confirm_shipment", ...(order && { order }) };
  const noOrder = blank(text, findOrders(text));
  const tracking = findTrackingNo(noOrder);
  const rest = tracking ? blank(noOrder, [tracking]) : noOrder;
  const carrier = findCarrier(rest)?.carrier ?? (tracking ? carrierFromTrackingNo(tracking.tracking_no) : undefined);
  if (carrier) out.carrier = carrier; // "自提" (customer pick-up) is kept as the carrier
  if (tracking) out.tracking_no = tracking.tracking_no;
  const q = pickQuantity(findQuantities(rest));
  // 数量 20 / 数量：20 / 共20: a count without a unit, labelled, is the quantity shipped.
  const labelled = /(?:数量|发了|共)\s*[:：]?\s*(\d+)(?![\d.])/.exec(rest);
  if (q) out.quantity = q.value;
  else if (labelled) out.quantity = Number(labelled[1]);
  return out;
}

/** A field that only flags a problem (缺货, 发不了, 出不了库) without saying what it is. */
const PROBLEM_LABEL = /^(?:暂时|目前|现在)?(?:缺货|有问题|问题|异常|出问题了|(?:发|出|送|寄)(?:不了|不出去?)(?:库|货)?|无法发货|不能发货)$/;

/**
 * "仓库说没库存了" → "没库存了": the clause naming the problem as written, without who reported it. The final
 * 了 stays (型号发错了, 物流三天没更新了): it says the problem has happened, and the reason is shown as written.
 */
const isProblem = (p: string) => !PROBLEM_LABEL.test(p) && PROBLEM_WORDS.test(p.replace(/没问题/g, ""));
/** A label that only says "a problem" (有问题, 异常): unlike 缺货 or 发不了 it tells nothing, so it is no context. */
const GENERIC_LABEL = /^(?:有问题|问题|异常|出问题了|有误)$/;
/** 发不了, 出不了库 before the cause (出不了库 质检没过) only say the goods cannot leave: the cause is the reason. */
const CANNOT_SHIP = /^(?:暂时|目前|现在)?(?:(?:发|出|送|寄)(?:不了|不出去?)(?:库|货)?|无法发货|不能发货)$/;
/**
 * What the problem means for the goods, told after it: redone (要重新打包, 得重新生产), late (晚两天发, 要等到下周),
 * what the supplier said (说要下周), or a label-like consequence (发不了).
 */
// …and what must happen now (要客户安排吊装, 只能周一再送), what the rest waits for (剩下的要等厂家补货), or the
// customer's requirement the goods miss (医院要求一年以上).
const CONSEQUENCE = /^(?:要|得|需要|只能|只好|必须|可能|还)?(?:重新|返工|重做|重发|补发|退回|调货|等)|^(?:要|得|需要|只能|只好|必须)(?![的是])\S*(?:安排|再|等|补|换|改|送|发|协调)|^(?:要|得|需要|只能|只好|必须)(?:让|请|叫)?(?:客户|对方|甲方|我们|厂家|医院|他们)|^(?:剩下|剩余|其余|余下)的?|^\S{0,6}要求|^(?:要|得|会|可能)?(?:晚|迟|推迟|延后|延迟)(?:[一两三四五六七八九十\d]+|几)?(?:天|周|个月)?(?:发|到|交|出)|^说/;
/** 规格不对 客户要的5L装 我们备的是20L的: after a mismatch, the clauses saying what was wanted and what is there. */
const MISMATCH = /(?:不对|不符|不一致|有误|错了?)$/;
const SPELLS_OUT = /要的|备的|订的|发的|是|只有|有的/;
/** Who said it, kept when it is the customer: 客户说先别发 is the customer's own request, the problem itself. */
const CUSTOMER_SAID = /客户|对方|甲方|他们/;
/** A rule or a refusal (不收货, 不让货车进, 只能周一送): kept with who told it. */
const RULE_SAID = /不收|拒收|不(?:派送|配送|派件|送)|不接|不让|不准|不给|不能|只能|要求|规定/;
/** 只有40桶, 就剩5台: what is left, told after a shortage. */
const WHAT_IS_LEFT = /^(?:只|就|还|仅)(?:有|剩|剩下)\S*[\d一二两三四五六七八九十]/;

/**
 * The problem as written: its clause, the clauses it rests on before it (收货地址在山上 货车进不去) and those
 * that go on telling it after (库存不够 只有40桶, 拒收 说颜色不对), without who reported it.
 */
function problemClause(parts: string[]): string | undefined {
  const at = parts.findIndex(isProblem);
  if (at < 0) return undefined;
  const hit = parts[at]!;
  const said = /^\S{1,6}?(?:说|反馈|反映|告诉我|讲)/.exec(hit);
  // Who said it goes (仓库说没库存了 → 没库存了), but stays with a rule or a refusal, which is theirs to tell
  // (医院仓库说周末不收货, 物流说园区不让货车进), and with the customer's own request (客户说先别发).
  const rest = said && said[0].length < hit.length && !CUSTOMER_SAID.test(said[0]) && !RULE_SAID.test(hit.slice(said[0].length)) ? hit.slice(said[0].length) : hit;
  const before = parts.slice(0, at);
  const context = before.length === 1 && !GENERIC_LABEL.test(before[0]!) && !CANNOT_SHIP.test(before[0]!) && !/(?:说|反馈|反映|告诉我|讲)$/.test(before[0]!) && !said ? before : [];
  const after: string[] = [];
  let prev = hit;
  for (const p of parts.slice(at + 1)) {
    const tells = isProblem(p) || WHAT_IS_LEFT.test(p) || CONSEQUENCE.test(p) || (PROBLEM_LABEL.test(p) && !GENERIC_LABEL.test(p))
      || (MISMATCH.test(prev) || after.length > 0 && MISMATCH.test(hit)) && SPELLS_OUT.test(p);
    if (!tells) break;
    after.push(p);
    prev = p;
  }
  return [...context, rest, ...after].join(" ");
}

export function buildProblem(text: string, order: string | undefined): IntentOf<"report_shipment_problem"> {
  const parts = tokens(blank(text, findOrders(text)));
  const clause = problemClause(parts);
  if (clause) return { intent: "report_shipment_problem", ...(order && { order }), reason: clause.slice(0, 300) };
  // 缺货 before what the supplier said (缺货 离心机厂家要下周三才到) is part of the reason; 有问题 / 发不了 only flag it.
  const tellsShortage = parts.some((p) => /只有|只剩|仅有|就剩|不够/.test(p));
  const content = parts.filter((p) => !GENERIC_LABEL.test(p) && !CANNOT_SHIP.test(p) && !(tellsShortage && PROBLEM_LABEL.test(p)));
  const reason = (content.length ? content : parts).join(" ").replace(/^(?:原因|理由)\s*/, "").trim();
  return { intent: "report_shipment_problem", ...(order && { order }), reason: (reason || "未说明").slice(0, 300) };
}

const DECISION_WORDS = /不同意|批不了|不能批|批不下来|驳回|拒绝|拒(?:了|掉)|不批|打回(?:去|来)?|否决|不通过|不行|不予|不ok|同意|批准|通过|批了|准了|可以|\bok\b|okay|行了|没问题|准予|reject(?:ed)?|approved?|\bpass(?:ed)?\b|denied|declined?|(?:^|\s)NG(?=\s|[,，:：]|$)|(?:^|\s)批(?:一下|下)?(?=\s|$)/gi;

const DECISION_EDGE = new RegExp(`^(?:${DECISION_WORDS.source})+(?:了|一下|吧)?|(?:${DECISION_WORDS.source})+(?:了|吧)?$`, "gi");

function stripDecision(word: string): string {
  return word.replace(DECISION_EDGE, "");
}

export function buildApproval(text: string, order: string | undefined): IntentOf<"decide_approval"> {
  const decision = REJECT_WORDS.test(text) ? "reject" : "approve";
  const out: IntentOf<"decide_approval"> = { intent: "decide_approval", ...(order && { order }), decision };
  // 那个同意一下: the hesitation and the softener around the decision are not its reason. The decision goes
  // where it opens or closes a clause; inside one (量大可以给, 折扣超了) the words are the reason as written.
  const reason = tokens(blank(text, findOrders(text)))
    .map((w) => stripDecision(w))
    .filter((w) => w && !/^(?:那个|这个|一下|下|吧|哈|好的|好|了)$/.test(w))
    .join(" ")
    .replace(/^(?:理由|原因)\s*/, "")
    .trim();
  if (reason.length >= 2) out.reason = reason.slice(0, 300);
  return out;
}
