// Row ids for statements written by hand (the visit log, a job's batch of cards): the same shape as Prisma's
// cuid() default, which Prisma makes in the client, so these rows sort and look like the ones Prisma creates.
import { randomBytes, randomFillSync } from "node:crypto";

let counter = Math.floor(Math.random() * 36 ** 4);
const FINGERPRINT = randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, "0").slice(-4);

/**
 * A new row id in the shape of Prisma's cuid() (c + time + counter + process + random, 25 characters), so rows
 * written here sort and look like the ones Prisma creates.
 */
export function newRowId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const rand = randomPart().toString(36).padStart(8, "0").slice(-8);
  return `c${time}${counter.toString(36).padStart(4, "0")}${FINGERPRINT}${rand}`;
}

// Random bytes are drawn from the system a few kilobytes at a time: one call per id cost more than the id's other
// work (a visit log makes several ids). Each id still takes its own six fresh bytes, never reused.
const pool = Buffer.alloc(6 * 512);
let used = pool.length;

function randomPart(): number {
  if (used + 6 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const n = pool.readUIntBE(used, 6);
  used += 6;
  return n;
}
