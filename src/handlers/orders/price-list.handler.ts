// 价格表 / 报价单 / 有哪些产品 (the whole list in force) and 电机A多少钱 / 电机a 现在什么价 / 变频器 单价 (the goods
// asked, matched like an order's products: case, spaces, 简称/aliases and SKU; a one-character slip with one product that
// close is answered with that product, said so — 「变平器」按「变频器」查的 —; another typo gets the closest names with
// their prices). Each product with its unit and list price, what the asker may give without approval (their own
// rules.approval.discountLimits) and a 下单 line to copy. Warehouse staff see no prices anywhere: refused.
import { AppError } from "../../core/app-error.ts";
import { localDateKey } from "../../core/local-time.ts";
import { formatCny, formatDiscount, type Money } from "../../core/money.ts";
import { activePriceList } from "../../domain/orders/order.service.ts";
import { authorityFor, quote, quoteTotal, type Authority, type CountedLine, type QuotedProduct, type TotalQuote } from "../../domain/orders/price-quote.ts";
import { matchProduct, normalizeProductName, similarity, unitLines } from "../../domain/orders/product-match.ts";
import { lineForUnit, unitAgrees } from "../../domain/orders/units.ts";
import { isSalesSide } from "../../domain/users/roles.ts";
import type { IntentOf, PriceItem } from "../../nlu/index.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** WeCom cuts a text at 2048 bytes: a long list goes out in parts under this. */
const PART_BYTES = 1800;
const MAX_ASKED = 20;
/** A name this close to a product's (变频气 ~ 变频器: 0.67) is offered as a typo of it; 飞机 ~ 电机A (0.37) is not. */
const TYPO_MIN = 0.5;

const ROLE_WORD = { rep: "销售", manager: "经理", director: "总监" } as const;

/** 4750 for ¥4,750.00: the number as a rep types it in 下单. */
const plain = (m: Money) => m.toDecimalPlaces(2).toString();

function productLine(p: QuotedProduct): string {
  const floor = p.floor && !p.floor.eq(p.listPrice) ? `，你可直接给到 ${formatCny(p.floor)}` : "";
  return `· ${p.name}（${p.sku}）${formatCny(p.listPrice)}/${p.unit}${floor}`;
}

function authorityLines(a: Authority, example: QuotedProduct | undefined): string[] {
  const big = `订单金额 ≥ ${formatCny(a.bigOrderAmount)} 需总监审批。`;
  if (!a.limit || !a.role) return [`管理员不下单，这里只列出标价。${big}`];
  const who = ROLE_WORD[a.role];
  const limit = a.limit.isZero()
    ? `你（${who}）没有折扣权限：低于标价都需要审批；`
    : `你（${who}）的折扣权限：${formatDiscount(a.limit, "percent")}（${formatDiscount(a.limit)}）以内直接批准，更低需要上级审批；`;
  const lines = [limit + big];
  if (example) lines.push(`下单例如：下单 客户名称 ${example.name} 10${example.unit} 单价${plain(example.floor ?? example.listPrice)}`);
  return lines;
}

/** Lines into texts of at most PART_BYTES each (a line is never split). */
function parts(lines: string[]): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of lines) {
    const next = cur ? `${cur}\n${line}` : line;
    if (cur && Buffer.byteLength(next) > PART_BYTES) {
      out.push(cur);
      cur = line;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}

export async function handlePriceList(ctx: HandlerContext, intent: IntentOf<"price_list">): Promise<void> {
  if (!isSalesSide(ctx.user)) {
    throw new AppError("price_not_for_warehouse", "仓库同事看不到价格：发货通知和订单里都不显示价格。需要报价请联系负责的销售。发送「帮助」查看你能用的功能。");
  }
  const list = await activePriceList(ctx.tx, ctx.now);
  if (!list.length) {
    ctx.out.replyText("价格表里还没有产品。请管理员在组织文件的 products 里添加，或导入价格表（npm run import -- products 价格表.xlsx）。");
    return;
  }
  const authority = authorityFor(ctx.user, ctx.rules.approval);
  const items = intent.items ?? [];
  // The goods named, and any counted that the parser named only in items (one name once).
  const asked = [...(intent.products ?? [])];
  for (const i of items) if (!asked.some((n) => normalizeProductName(n) === normalizeProductName(i.product))) asked.push(i.product);
  asked.splice(MAX_ASKED);
  const today = localDateKey(ctx.now, ctx.timeZone);

  if (!asked.length) {
    const quoted = quote(list, authority);
    const lines = [`价格表（人民币，${today} 执行，共 ${quoted.length} 个产品）：`, ...quoted.map(productLine), ...authorityLines(authority, quoted[0])];
    for (const text of parts(lines)) ctx.out.replyText(text);
    return;
  }

  const shown = new Map<string, Listed>();
  const counted: { product: Listed; quantity: number }[] = [];
  const notes: string[] = [];
  for (const name of asked) {
    // Each count or unit asked for this name (电缆 卷的和米的: the 卷 line and the 米 line), or the name alone.
    const mine: (PriceItem | undefined)[] = items.filter((i) => normalizeProductName(i.product) === normalizeProductName(name));
    const found = findProducts(name, list);
    let products: Listed[];
    if (found.kind === "found") products = found.products;
    else if (found.kind === "typo") {
      // A list price shown for a one-character slip is harmless (orders never guess): said which product it is.
      notes.push(`「${name}」按「${found.product.name}」查的`);
      products = found.products;
    } else {
      if (found.closest.length) notes.push(`价格表里没有「${name}」，最接近的是：${found.closest.map((p) => p.name).join("、")}`);
      else notes.push(`价格表里没有「${name}」。发送「价格表」查看全部产品。`);
      for (const p of found.closest) shown.set(p.sku, p);
      continue;
    }
    for (const item of mine.length ? mine : [undefined]) {
      const { lines: picked, fits } = pickLine(products, item, notes);
      if (item?.quantity !== undefined && fits && picked.length === 1) counted.push({ product: picked[0]!, quantity: item.quantity });
      else {
        if (item?.quantity !== undefined && fits) notes.push(countNote(name, products));
        else if (!item?.unit) {
          const lines = unitLines(name, list);
          if (lines) notes.push(`${lines[0]!.name} 按${lines.map((l) => l.unit).join("、")}分别报价，下单写明单位（例如：${lines[0]!.name} 2${lines[0]!.unit}）`);
        }
        for (const p of picked) shown.set(p.sku, p);
      }
    }
  }
  const quoted = quote([...shown.values()].filter((p) => !counted.some((c) => c.product.sku === p.sku)), authority);
  const total = counted.length ? quoteTotal(counted.map((c) => ({ product: quote([c.product], authority)[0]!, quantity: c.quantity })), authority) : null;
  if (!quoted.length && !total) {
    ctx.out.replyText(notes.join("\n"));
    return;
  }
  const lines = [...notes, `价格（人民币，${today} 执行）：`, ...(total ? total.lines.map(countedLine) : []), ...quoted.map(productLine)];
  if (total) lines.push(...totalLines(authority, total));
  else lines.push(...authorityLines(authority, quoted[0]));
  for (const text of parts(lines)) ctx.out.replyText(text);
}

/**
 * The line(s) a unit written names: of a product in several units, that unit's line (电缆按米 → 按米); a unit the
 * product is not sold in is said (电缆 按卷、米报价，没有按「箱」的价格) and no total is worked out from it.
 */
function pickLine(products: Listed[], item: PriceItem | undefined, notes: string[]): { lines: Listed[]; fits: boolean } {
  const unit = item?.unit?.trim();
  if (!unit) return { lines: products, fits: true };
  const name = products[0]?.name ?? item!.product;
  const sameName = products.every((p) => p.name === name);
  const line = sameName ? lineForUnit(unit, products) : undefined;
  if (line) return { lines: [line], fits: true };
  const fits = products.filter((p) => unitAgrees(unit, p.unit));
  if (fits.length) return { lines: fits, fits: true };
  notes.push(sameName
    ? `${name} 按${[...new Set(products.map((p) => `「${p.unit}」`))].join("或")}报价，没有按「${unit}」的价格`
    : `「${item!.product}」没有按「${unit}」的价格`);
  return { lines: products, fits: false };
}

/** A count with several products that fit the name: no total until it is clear which. */
function countNote(name: string, products: Listed[]): string {
  const units = new Set(products.map((p) => p.unit));
  return products.every((p) => p.name === products[0]!.name) && units.size > 1
    ? `${products[0]!.name} 按${[...units].join("、")}分别报价，写明单位才能算总价（例如：${products[0]!.name} 10${products[0]!.unit}多少钱）`
    : `「${name}」对应 ${products.length} 个产品，写明是哪个才能算总价`;
}

/** · 电机A（MOTOR-A）¥5,000/台 × 200台 = ¥1,000,000，你可直接给到 ¥4,750/台，共 ¥950,000 */
function countedLine(l: CountedLine): string {
  const p = l.product;
  const qty = `${String(l.quantity)}${p.unit}`;
  const floor = p.floor && l.floorTotal && !p.floor.eq(p.listPrice) ? `，你可直接给到 ${formatCny(p.floor)}/${p.unit}，共 ${formatCny(l.floorTotal)}` : "";
  return `· ${p.name}（${p.sku}）${formatCny(p.listPrice)}/${p.unit} × ${qty} = ${formatCny(l.listTotal)}${floor}`;
}

/** The sum, the big-order amount against it, the asker's limit and a 下单 line with these counts at their floor. */
function totalLines(a: Authority, t: TotalQuote): string[] {
  const out: string[] = [];
  const atFloor = t.floorTotal && !t.floorTotal.eq(t.listTotal) ? `，你可直接给到 ${formatCny(t.floorTotal)}` : "";
  if (t.lines.length > 1) out.push(`合计 ${formatCny(t.listTotal)}${atFloor}`);
  const big = formatCny(t.bigOrderAmount);
  if (!t.bigAtList) out.push(`未达大单金额 ${big}，不需总监审批。`);
  else out.push(`达到大单金额 ${big}：下单需总监审批${t.bigAtFloor ? "" : `（成交总价低于 ${big} 则不需要）`}。`);
  if (!a.limit || !a.role) {
    out.push("管理员不下单，这里只列出标价。");
    return out;
  }
  out.push(a.limit.isZero()
    ? `你（${ROLE_WORD[a.role]}）没有折扣权限：低于标价都需要审批。`
    : `你（${ROLE_WORD[a.role]}）的折扣权限：${formatDiscount(a.limit, "percent")}（${formatDiscount(a.limit)}）以内直接批准，更低需要上级审批。`);
  out.push(`下单例如：下单 客户名称 ${t.lines.map((l) => `${l.product.name} ${String(l.quantity)}${l.product.unit} 单价${plain(l.product.floor ?? l.product.listPrice)}`).join(" ")}`);
  return out;
}

type Listed = Awaited<ReturnType<typeof activePriceList>>[number];

/**
 * The products a name means, matched as an order's are (product-match.ts): an exact name, alias or SKU; several
 * that contain it (电机 → 电机A, 电机B) are all shown. "电机A 变频器" written with a space is tried word by word.
 * Nothing: the closest names (a typo: 电鸡A → 电机A).
 */
function findProducts(name: string, list: Listed[]): { kind: "found"; products: Listed[] } | { kind: "typo"; product: Listed; products: Listed[] } | { kind: "none"; closest: Listed[] } {
  const m = matchProduct(name, list);
  if (m.kind === "exact") return { kind: "found", products: [m.product] };
  if (m.kind === "ambiguous") return { kind: "found", products: m.candidates };
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length > 1) {
    const each = words.map((w) => matchProduct(w, list));
    if (each.every((x) => x.kind !== "none")) {
      return { kind: "found", products: each.flatMap((x) => (x.kind === "exact" ? [x.product] : x.kind === "ambiguous" ? x.candidates : [])) };
    }
  }
  const q = normalizeProductName(name);
  const slip = oneSlip(q, list);
  // 电揽 → 电缆: every line of that product (by the 卷 and by the 米).
  if (slip) return { kind: "typo", product: slip, products: list.filter((p) => p.name === slip.name) };
  const near = (p: Listed) => Math.max(...[p.name, p.sku, ...p.aliases].map((k) => similarity(q, normalizeProductName(k)))) >= TYPO_MIN;
  return { kind: "none", closest: m.closest.flatMap((n) => list.filter((p) => p.name === n && near(p))) };
}

/** Edit distance, for names of a few characters. */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * The one product a name is a single-character slip of (变平器 → 变频器, 店机A → 电机A, 电揽 → 电缆): one character wrong,
 * missing or extra in a name of 3 or more, or the second of two (电揽; 飞机 is no 电机). None when two products are
 * that close, or none is: then only the closest names are offered.
 */
function oneSlip(q: string, list: Listed[]): Listed | undefined {
  const n = [...q].length;
  if (n < 2) return undefined;
  const slips = list.filter((p) => [p.name, p.sku, ...p.aliases].map(normalizeProductName).some((k) => {
    if (!k || editDistance(q, k) !== 1) return false;
    return n >= 3 ? [...k].length >= 3 : [...k].length === 2 && k[0] === q[0];
  }));
  // One product, whatever the lines it is listed in (电缆 by the 卷 and by the 米).
  return slips.length > 0 && slips.every((p) => p.name === slips[0]!.name) ? slips[0] : undefined;
}
