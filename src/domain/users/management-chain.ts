import type { Tx } from "../tx.ts";

/** The managers above `userId`, nearest first (cycles in a bad org file stop the walk). */
export async function managementChain(tx: Tx, userId: string): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = userId;
  while (current) {
    const row: { managerId: string | null } | null = await tx.user.findUnique({ where: { id: current }, select: { managerId: true } });
    const next: string | null = row?.managerId ?? null;
    if (!next || chain.includes(next) || next === userId) break;
    chain.push(next);
    current = next;
  }
  return chain;
}
