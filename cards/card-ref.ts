import type { CardButton } from "../src/core/card.ts";
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

/**
 * What a card kind is: its purpose and the verbs of its buttons. The template builds buttons only through
 * `button()`, so a button's verb is always one the kind's actions (beside the feature's handlers) declare.
 */
export interface CardSpec<V extends string> {
  purpose: string;
  verbs: readonly V[];
  button(verb: V, ref: string, label: string, opts?: { arg?: string; style?: CardButton["style"] }): CardButton;
}

export function defineCardSpec<const V extends string>(purpose: string, verbs: readonly V[]): CardSpec<V> {
  return {
    purpose,
    verbs,
    button: (verb, ref, label, opts = {}) => ({ label, action: actionKey(verb, ref, opts.arg), ...(opts.style ? { style: opts.style } : {}) }),
  };
}
