// Figure lines for `npm run bench`: `name: value unit`, one per figure.
export type Print = (line: string) => void;

export const dbLabel = (kind: "postgres" | "pglite") => (kind === "postgres" ? "PostgreSQL" : "PGlite");

export function figure(print: Print, name: string, value: number, unit: string, digits = 0): void {
  print(`${name}: ${Number.isFinite(value) ? value.toFixed(digits) : "n/a"} ${unit}`);
}

/** `target met` / `target NOT met` with the comparison spelled out. */
export function verdict(ok: boolean, what: string): string {
  return `${ok ? "met" : "NOT met"} (${what})`;
}
