// 改 客户 华东机电 阶段 报价 (also 级别 A, 行业, 区域, 电话 of the main contact, 地址 used by dispatch notices,
// 标签 +重点 -老客户): by the owner, anyone above the owner, or an admin; audited; a pick card when the name is
// unclear. A value that cannot be read is refused and changes nothing.
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { getCustomer } from "../../domain/customers/customer.repo.ts";
import { applyCustomerEdit } from "../../domain/customers/customer-edit.repo.ts";
import { FIELD_LABELS, FIELD_WORDS, parseFieldValue, showValue, type CustomerEdit, type EditableField } from "../../domain/customers/customer-fields.ts";
import { managesOwner } from "../../domain/customers/ownership.service.ts";
import { canSeeCustomer } from "../../domain/customers/customer-access.ts";
import { managementChain } from "../../domain/users/management-chain.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import { getUser } from "../../domain/users/user.repo.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { askWhichCustomer, defineCustomerPick, PickBaseSchema, resolveCustomer } from "./which-customer.ts";

const WORDS = FIELD_WORDS.map(([w]) => w).join("|");
// 改 客户 华东机电 阶段 报价 / 改客户华东机电阶段为报价 / 修改客户 华东机电 的电话：138…
const COMMAND = new RegExp(`^(?:修改|更改|编辑|改)\\s*客户\\s*(.+?)\\s*(?:的\\s*)?(${WORDS})\\s*(?:(?:改为|改成|变成|为|是|[:：=])\\s*)?(.+)$`, "s");

export function parseCustomerEdit(text: string): { customer: string; field: EditableField; raw: string } | null {
  const m = COMMAND.exec(text.trim());
  if (!m) return null;
  const field = FIELD_WORDS.find(([w]) => w === m[2])?.[1];
  const customer = m[1]!.trim();
  return field && customer ? { customer, field, raw: m[3]! } : null;
}

/** `改 客户 X` without a field it knows: answered with the syntax instead of being read as a visit. */
const LOOSE = /^(?:修改|更改|编辑|改)\s*客户(?:\s+|$)/;

export const editCustomerCommands: TextCommand[] = [
  { matches: (t) => parseCustomerEdit(t) !== null, run: (ctx, t) => handleEditCustomer(ctx, parseCustomerEdit(t)!) },
  {
    matches: (t) => LOOSE.test(t.trim()) && parseCustomerEdit(t) === null,
    run: () => {
      throw new AppError("edit_syntax", `请写明客户、要改的项目和新的值，例如：改 客户 华东机电 阶段 报价。可以改：${Object.values(FIELD_LABELS).join("、")}。`);
    },
  },
];

export const editPick = defineCustomerPick({
  kind: "edit_customer",
  schema: PickBaseSchema.extend({ field: z.enum(["stage", "level", "industry", "region", "phone", "address", "tags"]), raw: z.string() }),
  allowNew: false,
  what: "修改",
  resume: async (ctx, data, choice) => {
    if (choice.kind !== "existing") throw new AppError("bad_choice", "这个选项无效，请重新发送消息。");
    await editOne(ctx, choice.id, readValue(data.field, data.raw));
  },
  done: (choice) => `已选择「${choice.name}」`,
});

function readValue(field: EditableField, raw: string): CustomerEdit {
  const r = parseFieldValue(field, raw);
  if (!r.ok) throw new AppError("edit_bad_value", `${r.problem}没有修改任何内容。`);
  return r.edit;
}

async function handleEditCustomer(ctx: HandlerContext, req: { customer: string; field: EditableField; raw: string }): Promise<void> {
  assertSalesSide(ctx.user, "修改客户资料");
  const edit = readValue(req.field, req.raw);
  const found = await resolveCustomer(ctx, req.customer, "visible");
  if (found.kind === "none") throw new AppError("customer_not_found", `没有找到客户「${req.customer}」，请检查名称。发送「客户 名称」可以先查一下。`);
  if (found.kind === "exact") return editOne(ctx, found.id, edit);
  if (!found.candidates.length) throw new AppError("edit_not_visible", `和「${req.customer}」相近的客户都由其他同事负责，你不能修改。可以请负责的同事或其上级修改，发送「我的客户」查看你负责的客户。`);
  await askWhichCustomer(ctx, editPick, { query: req.customer, candidates: found.candidates, field: req.field, raw: req.raw });
}

async function editOne(ctx: HandlerContext, customerId: string, edit: CustomerEdit): Promise<void> {
  const c = await getCustomer(ctx.tx, customerId);
  if (!c) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
  if (c.ownerId === null && !ctx.user.roles.includes("admin")) {
    throw new AppError("edit_pool_customer", `「${c.name}」在公海，没有负责人。领取后就可以修改：发送「领取 ${c.name}」。`);
  }
  if (c.ownerId !== null && c.ownerId !== ctx.user.id && !(await managesOwner(ctx.tx, ctx.user, c.ownerId))) {
    const chain = await managementChain(ctx.tx, c.ownerId);
    const owner = canSeeCustomer(ctx.user, c.ownerId, chain) ? await getUser(ctx.tx, c.ownerId) : null;
    throw new AppError("edit_not_allowed", `「${c.name}」${owner ? `由${owner.name}负责` : "不是你的客户"}，只有负责人、负责人的上级或管理员可以修改。你可以修改自己的客户，例如：改 客户 名称 阶段 报价。`);
  }
  const r = await applyCustomerEdit(ctx.tx, c.id, edit, ctx.user.id, ctx.eventId);
  const label = FIELD_LABELS[edit.field];
  const what = edit.field === "phone" ? `联系人${r.contact ?? ""}的电话` : label;
  if (!r.changed) {
    ctx.out.replyText(`「${r.name}」的${what}本来就是「${showValue(edit.field, r.after)}」，没有改动。`);
    return;
  }
  const text = edit.field === "tags"
    ? `已更新「${r.name}」的标签：${showValue("tags", r.after)}${edit.add.length ? `（加：${edit.add.join("、")}）` : ""}${edit.remove.length ? `（删：${edit.remove.join("、")}）` : ""}。`
    : `已把「${r.name}」的${what}从「${showValue(edit.field, r.before)}」改为「${showValue(edit.field, r.after)}」。`;
  ctx.out.replyText(text);
  // The owner hears of a change someone else made to their customer.
  if (c.ownerId && c.ownerId !== ctx.user.id) await ctx.out.notify(c.ownerId, { type: "text", text: `${ctx.user.name}${text.replace(/^已/, "")}` });
}
