// The words people use to ask what waits for approval, read before the parser (no LLM call). The whole message
// must be such a question: 待审批, 我的审批, 审批列表, 待我审批, 有啥要审批的, 还有几个没批, 审批 → "queue" (the
// asker's role decides: an approver gets what waits for them, a rep their own orders); 我的订单在等审批吗,
// 我的订单审批了吗, 我提交的单子批了没 → "mine" (the asker's own orders). A visit log that mentions approval
// (客户说要走审批流程) or a decision (同意 SO-…) is not one of these.

/** What the message asks for: what waits for the asker's decision (by role), or the asker's own orders. */
export type ApprovalListRequest = "queue" | "mine";

// Requests and politeness around the question: 帮我看下, 查一下, 列一下, 发我, 一下, 呢, 吗 …
const LEAD = /^(?:请|麻烦|帮我|帮忙|给我|我想|我要)?(?:看下|看一下|看看|查下|查一下|查查|查看|列一下|列下|拉一下|调出|发我|显示)?/;
const TAIL = /(?:有哪些|有几个|有多少|是哪些|都有啥|都有什么|列表|清单|情况)?(?:呢|吗|嘛|啊|呀|么)?$/;
const PUNCT = /[\s,，。.!！?？~～、:：]/g;

// 待审批, 待审, 待批, 未审批, 我的审批, 审批列表, 审批待办, 我的待审批订单, 待审批的单子 …
const QUEUE_WORDS = [
  /^(?:我的)?(?:待|未)(?:审批|审|批)(?:的)?(?:订单|单子|单|事项|任务)?$/,
  /^(?:我的)?审批(?:的)?(?:列表|清单|待办|任务|事项|单子|订单)?$/,
  // 待我审批, 等我批的, 待我审批的订单
  /^(?:待|等)我(?:审批|审|批)(?:的)?(?:订单|单子|单)?$/,
  // 有啥要审批的, 有要我批的吗, 有没有要我审批的订单, 需要我审批的, 要我批的单子, 有什么需要审批
  /^(?:有(?:啥|什么|哪些|没有|几个|多少)?|还有(?:啥|什么|哪些|几个|几单|多少)?)?(?:要|需要|等)(?:我)?(?:审批|审|批)(?:的)?(?:订单|单子|单)?$/,
  // 还有几个没批, 还有多少没审批, 还有几单没审, 还有哪些单子没批的, 几个没批
  /^(?:还有(?:几个|几单|多少|哪些|啥|什么)?|几个|几单|多少|哪些)(?:订单|单子|单)?(?:没|未)(?:有)?(?:审批|审|批)(?:的)?$/,
  // 谁在等我审批, 哪些单子等我批
  /^(?:谁|哪些(?:订单|单子)?)(?:在)?等我(?:审批|审|批)$/,
];

// 我的订单在等审批吗, 我的订单审批了吗, 我的单子批了没, 我提交的订单审批到哪了, 我的订单在等谁审批
const MINE = /^我(?:的|提交的|下的|交的|报的)(?:订单|单子|单)(?:都|还)?(?:在)?(?:等|待)?(?:谁)?(?:审批|批)(?:了|完了|过了|到哪(?:了|一步了?)?|进度|状态|到谁那(?:了|里了)?|没有?|了没有?|没批|完没)?$/;

export function readApprovalListRequest(text: string): ApprovalListRequest | null {
  const t = text.replace(PUNCT, "");
  if (!t || t.length > 24) return null;
  if (MINE.test(t.replace(/(?:呢|吗|嘛|啊|呀|么)$/, ""))) return "mine";
  const core = t.replace(LEAD, "").replace(TAIL, "");
  if (!core) return null;
  return QUEUE_WORDS.some((re) => re.test(core)) ? "queue" : null;
}
