import type { Intent } from "./intent.ts";

export interface ParseContext {
  /** The moment the message was received. */
  now: Date;
  /** IANA zone used for every relative date, e.g. "Asia/Shanghai" (the machine's TZ never matters). */
  timeZone: string;
  /** The rep's likely customers (names), used to resolve 简称 and typos. */
  knownCustomers?: string[];
}

export interface IntentParser {
  readonly name: "rules" | "llm";
  parse(text: string, ctx: ParseContext): Promise<Intent>;
}
