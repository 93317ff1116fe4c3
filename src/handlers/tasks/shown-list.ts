// The numbers a person acts on are the numbers of the list they were shown. Every to-do card (我的待办, the
// morning card) keeps the ids of the follow-ups it numbered, in order, as a zod-typed record; `完成 N` /
// `推迟 N …` take the N-th id of the newest such list. Completing one never renumbers what the person sees:
// after `完成 2`, `完成 3` is still the follow-up shown as 3. A number from no list, a list older than a day or
// a number the list does not have is refused and the current list is shown again — never a silent wrong task.
import { z } from "zod";
import { latestOpenPending } from "../../domain/pending/pending-action.repo.ts";
import type { Tx } from "../../domain/tx.ts";
import { definePending } from "../engine/pending.ts";

/** How long the numbers of a shown list stay valid. */
export const SHOWN_LIST_TTL_MS = 24 * 3600_000;

export const ShownListSchema = z.object({ taskIds: z.array(z.string().min(1)).max(50) });
export type ShownList = z.infer<typeof ShownListSchema>;

/** The numbered follow-ups of a to-do card. Never answered: read by 完成 N / 推迟 N until it expires. */
export const shownTodoListKind = definePending<ShownList, unknown>({
  kind: "todo_list_shown",
  schema: ShownListSchema,
  ttlMs: SHOWN_LIST_TTL_MS,
  resume: async () => {},
});

/** The newest list shown to the person that is still valid, or null (none shown, or it is stale). */
export async function newestShownList(tx: Tx, userId: string, now: Date): Promise<ShownList | null> {
  const row = await latestOpenPending(tx, userId, [shownTodoListKind.kind], now);
  if (!row) return null;
  const parsed = ShownListSchema.safeParse(row.payload);
  if (!parsed.success) throw new Error(`shown to-do list ${row.id}: stored payload is malformed: ${parsed.error.message}`);
  return parsed.data;
}
