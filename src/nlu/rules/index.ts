/**
 * The deterministic, offline parser: extract facts (orders, people, dates, quantities, money,
 * company), classify, then build the intent. Always returns a value that passes IntentSchema.
 */
import { decideMatch, rankCustomers } from "../customer-match.ts";
import { IntentSchema, type Intent } from "../intent.ts";
import type { IntentParser, ParseContext } from "../parser.ts";
import { asksBotOutright, classify, type Facts } from "./classify.ts";
import { findCompany, ORG_SUFFIX } from "./companies.ts";
import { pickContact, findContacts } from "./contacts.ts";
import { findDateMentions, pickFutureMention, pickPastMention } from "./dates.ts";
import { findMoney, pickAmount } from "./money.ts";
import { findCarrier, findOrders, findTrackingNo } from "./orders.ts";
import { buildPlaceOrder, isOrderForm, markBareCounts, markOrderBareCounts, readOrderForm } from "./order-items.ts";
import { findQuantities, pickQuantity } from "./quantities.ts";
import { buildCompleteTask, buildSnoozeTask } from "./tasks.ts";
import { translateCodeSwitch } from "./code-switch.ts";
import { cleanSpeech } from "./speech.ts";
import { blank, normalizeText, tokens } from "./text.ts";
import { buildPriceList } from "./prices.ts";
import { buildLogVisit } from "./visit.ts";
import { buildApproval, buildProblem, buildShipment } from "./warehouse.ts";
import { toLocal } from "../../core/local-time.ts";

/** Map a name the rep typed onto one of their known customers when the match is unambiguous. */
export function resolveKnownCustomer(name: string, known: string[] | undefined): string {
  if (!known?.length) return name;
  const decision = decideMatch(rankCustomers(name, known.map((n, i) => ({ id: String(i), name: n, aliases: [] }))));
  return decision.kind === "exact" ? known[Number(decision.id)]! : name;
}

/** 4千2 = 4200, 3千5 = 3500, 1万2 = 12000, 2万3 = 23000: a digit, its unit, and one digit in the next lower unit. */
export function spokenThousands(text: string): string {
  return text.replace(/(?<![\d.])(\d{1,2})([千万])(\d)(?![\d.]|[百十千万])/g, (_, a: string, u: string, b: string) =>
    String(Number(a) * (u === "千" ? 1000 : 10000) + Number(b) * (u === "千" ? 100 : 1000)));
}

export function parseWithRules(raw: string, ctx: ParseContext): Intent {
  const typed = normalizeText(raw).slice(0, 2000);
  // Rules read the message without voice fillers, with English twins in Chinese and without an order form's
  // labels; the summary keeps what was typed (full-width punctuation and all).
  const spoken = cleanSpeech(translateCodeSwitch(typed));
  const orderForm = isOrderForm(spoken);
  const text = markOrderBareCounts(markBareCounts(spokenThousands(readOrderForm(spoken))));
  const tz = ctx.timeZone;
  const orders = findOrders(text);
  const noOrders = blank(text, orders);
  const tracking = findTrackingNo(noOrders);
  const plain = tracking ? blank(noOrders, [tracking]) : noOrders;
  const contacts = findContacts(plain);
  // The wall clock now, read once for every date rule below.
  const localNow = toLocal(ctx.now, tz);
  const mentions = findDateMentions(plain, ctx.now, tz, localNow);
  const due = pickFutureMention(plain, mentions, ctx.now, tz, localNow);
  const dateSpans = mentions.map((m) => ({ index: m.index, end: m.end }));
  const quantities = findQuantities(blank(plain, dateSpans));
  const money = findMoney(blank(plain, dateSpans));
  const company = findCompany(plain, ctx.knownCustomers);
  const facts: Facts = {
    text,
    fields: tokens(text),
    hasOrder: orders.length > 0,
    orderForm,
    hasCarrierOrTracking: !!tracking || !!findCarrier(noOrders),
    hasContact: contacts.length > 0,
    hasFutureDate: !!due,
    ...(due && { dueIndex: due.index }),
    hasQuantity: quantities.length > 0,
    hasMoney: money.length > 0,
    ...(company && { company: { name: company.name, source: company.source, hasOrgSuffix: ORG_SUFFIX.test(company.name) } }),
  };
  const customer = (name: string) => resolveKnownCustomer(name, ctx.knownCustomers);
  const order = orders[0]?.order;

  switch (classify(facts)) {
    case "help": return { intent: "help" };
    case "list_todos": return { intent: "list_todos" };
    // Without a number (同意 / 缺货 电机A只有10台) the handler takes the one order waiting for this person.
    case "decide_approval": return buildApproval(text, order);
    case "report_shipment_problem": return buildProblem(text, order);
    case "confirm_shipment": return buildShipment(text, order);
    case "place_order": return buildPlaceOrder(text, customer, ctx.knownCustomers) ?? { intent: "unknown" };
    case "complete_task": return buildCompleteTask(text);
    case "snooze_task": return buildSnoozeTask(text, ctx.now, tz);
    case "show_metrics": {
      const period = /今天|今日|当天|日报/.test(text) ? "today"
        : /本周|这周|这个?礼拜|本礼拜|这星期|本星期|周报/.test(text) ? "week"
        : /本月|这个?月|当月|月度|月报/.test(text) ? "month" : undefined;
      return period ? { intent: "show_metrics", period } : { intent: "show_metrics" };
    }
    case "price_list": {
      // 东方轴承 电机B 30台 帮我算下总价: a customer's name (more than its trade word) opening an outright ask is no goods.
      const spaced = !!company && company.index === 0 && ORG_SUFFIX.test(company.name) && [...company.name.replace(ORG_SUFFIX, "")].length >= 2 && asksBotOutright(text);
      return buildPriceList(text, company && { index: company.index, end: company.end, spaced });
    }
    case "claim_customer": return company ? { intent: "claim_customer", customer: customer(company.name) } : { intent: "unknown" };
    case "lookup_customer": return company ? { intent: "lookup_customer", customer: customer(company.name) } : { intent: "unknown" };
    case "log_visit": {
      if (!company) return { intent: "unknown" };
      const inCompany = (i: number) => i >= company.index && i < company.end;
      const contact = pickContact(plain, contacts.filter((c) => !inCompany(c.index)));
      const visit = buildLogVisit(text, {
        customer: customer(company.name),
        contact: contact?.name,
        due,
        occurred: pickPastMention(plain, mentions, ctx.now, tz, due, localNow),
        quantity: pickQuantity(quantities.filter((q) => !inCompany(q.index)))?.value,
        // A figure inside the name (万嘉物业, 三一重工) is part of the name, not money.
        amount: pickAmount(money.filter((m) => !inCompany(m.index))),
      }, tz);
      return { ...visit, summary: raw.trim().replace(/\s+/g, " ").slice(0, 1000) || typed.slice(0, 1000) };
    }
    default: return { intent: "unknown" };
  }
}

export function createRulesParser(): IntentParser {
  return {
    name: "rules",
    async parse(text: string, ctx: ParseContext): Promise<Intent> {
      try {
        const result = IntentSchema.safeParse(parseWithRules(text, ctx));
        return result.success ? result.data : { intent: "unknown" };
      } catch {
        return { intent: "unknown" };
      }
    },
  };
}
