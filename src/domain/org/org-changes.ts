// What changed between two states of a person or product, for the audit log: only the fields that differ.

/** Who the audit log names for changes made by loading ORG_FILE. */
export const ORG_FILE_ACTOR = "system:org-file";

export function changedFields<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    b[k] = before[k];
    a[k] = after[k];
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
