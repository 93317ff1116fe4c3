// The one way a value becomes a Json column: through JSON text, so Dates become ISO strings and undefined
// properties disappear (Prisma's Json input takes neither), exactly as it will be read back.
import type { Prisma } from "./tx.ts";

export const toJsonValue = (v: unknown): Prisma.InputJsonValue => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
