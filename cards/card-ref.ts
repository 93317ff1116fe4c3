import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A card id that is also a valid WeCom task_id ([0-9A-Za-z_-@], ≤128) and DingTalk outTrackId. */
export function newCardRef(): string {
  const bytes = randomBytes(20);
  let s = "crd_";
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

/** Button keys: "<verb>:<cardRef>[:<arg>]". */
export function actionKey(verb: string, ref: string, arg?: string): string {
  return arg === undefined ? `${verb}:${ref}` : `${verb}:${ref}:${arg}`;
}

export function parseActionKey(key: string): { verb: string; ref: string; arg?: string } | null {
  const m = /^([a-z_]{1,32}):(crd_[0-9A-Za-z]{8,64})(?::(.{1,200}))?$/.exec(key);
  if (!m) return null;
  return { verb: m[1]!, ref: m[2]!, ...(m[3] !== undefined ? { arg: m[3] } : {}) };
}
