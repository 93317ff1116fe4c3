// Row ids for statements written by hand (the visit log, a job's batch of cards): the same shape as Prisma's
// cuid() default, which Prisma makes in the client, so these rows sort and look like the ones Prisma creates.
import { randomBytes } from "node:crypto";

let counter = Math.floor(Math.random() * 36 ** 4);
const FINGERPRINT = randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, "0").slice(-4);

/**
 * A new row id in the shape of Prisma's cuid() (c + time + counter + process + random, 25 characters), so rows
 * written here sort and look like the ones Prisma creates.
 */
export function newRowId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const rand = randomBytes(6).readUIntBE(0, 6).toString(36).padStart(8, "0").slice(-8);
  return `c${time}${counter.toString(36).padStart(4, "0")}${FINGERPRINT}${rand}`;
}
