// WeCom's XML, parsed defensively: no DTDs, no entity expansion, values kept as strings (MsgId is a 64-bit
// integer and would lose precision as a JS number), then checked with zod.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { MAX_INBOUND_TEXT_CHARS } from "../../core/inbound-event.ts";

/** Input we refuse with a 4xx; `status` is the HTTP status to answer with. */
export class WecomInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "WecomInputError";
  }
}

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** Parses `<xml>…</xml>` into its child elements; throws WecomInputError on anything suspicious. */
export function parseXmlRoot(xml: string): Record<string, unknown> {
  return parseFlatXml(xml) ?? parseXmlRootGeneral(xml);
}

const TAG_NAME = /^[A-Z][A-Za-z0-9_]{0,63}$/;
const isWs = (c: number) => c === 32 || c === 9 || c === 10;
function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/**
 * The fast path, for the shape WeCom actually sends (every callback goes through it twice: the envelope and the
 * decrypted message): `<xml>` holding distinct elements named like WeCom's fields (PascalCase), each one
 * `<![CDATA[…]]>` or plain text without `&` or `<`, between whitespace. It gives exactly what parseXmlRootGeneral
 * gives for such a document (checked by a property test, test/wecom/wecom-xml.test.ts), about ten times faster:
 * one scan, no validator pass, no entity or declaration handling (none can occur in this shape). Anything else —
 * a declaration, attributes, nesting, a repeated element, `&`, a carriage return (XML normalises line ends),
 * several CDATA sections — returns null and goes through the general parser and its checks.
 */
export function parseFlatXml(xml: string): Record<string, string> | null {
  if (xml.includes("\r")) return null;
  let i = skipWs(xml, 0);
  if (!xml.startsWith("<xml>", i)) return null;
  i += 5;
  const out: Record<string, string> = {};
  let count = 0;
  for (;;) {
    i = skipWs(xml, i);
    if (xml.startsWith("</xml>", i)) return count > 0 && skipWs(xml, i + 6) === xml.length ? out : null;
    if (xml.charCodeAt(i) !== 60 /* < */) return null;
    const gt = xml.indexOf(">", i + 1);
    if (gt < 0) return null;
    const name = xml.slice(i + 1, gt);
    if (!TAG_NAME.test(name) || Object.hasOwn(out, name)) return null;
    const close = `</${name}>`;
    i = gt + 1;
    let value: string;
    if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i + 9);
      if (end < 0 || !xml.startsWith(close, end + 3)) return null;
      value = xml.slice(i + 9, end);
      i = end + 3 + close.length;
    } else {
      const end = xml.indexOf("<", i);
      if (end < 0 || !xml.startsWith(close, end)) return null;
      const text = xml.slice(i, end);
      if (text.includes("&")) return null;
      value = text.trim();
      i = end + close.length;
    }
    out[name] = value;
    count++;
  }
}

/** Any well-formed document without declarations, through fast-xml-parser after its validator. */
export function parseXmlRootGeneral(xml: string): Record<string, unknown> {
  // Entity declarations are the XXE / billion-laughs vector: WeCom never sends them, so refuse outright.
  if (hasMarkupDeclaration(xml)) throw new WecomInputError(400, "DTDs and entities are not accepted");
  if (XMLValidator.validate(xml) !== true) throw new WecomInputError(400, "malformed XML");
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new WecomInputError(400, "malformed XML");
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== "object" || Array.isArray(root)) throw new WecomInputError(400, "expected an <xml> root element");
  return root as Record<string, unknown>;
}

/**
 * CDATA sections and comments are text, not markup: a member may well type "<!doctype html>" into a message. One left
 * open runs to the end (the validator then refuses the document as malformed).
 */
const TEXT_SECTIONS = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)/g;

/**
 * True when the document itself declares something (DOCTYPE, ENTITY, ELEMENT…). Outside CDATA and comments,
 * "<!" can only open such a declaration, wherever it stands (the validator lets one through inside an element).
 */
export function hasMarkupDeclaration(xml: string): boolean {
  return xml.replace(TEXT_SECTIONS, "").includes("<!");
}

const Digits = (max: number) => z.string().regex(new RegExp(`^\\d{1,${max}}$`));
const Base64 = z.string().min(24).regex(/^[A-Za-z0-9+/]+={0,2}$/);

/** The encrypted envelope POSTed to the callback URL. */
export const EnvelopeSchema = z.object({
  ToUserName: z.string().max(128).optional(),
  AgentID: z.string().max(32).optional(),
  Encrypt: Base64,
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** The decrypted message or event (src/channels/wecom/README.md); only the fields we use, unknown ones are dropped. */
export const WecomMessageSchema = z.object({
  ToUserName: z.string().min(1).max(128),
  FromUserName: z.string().min(1).max(256),
  CreateTime: Digits(12),
  MsgType: z.string().min(1).max(32),
  AgentID: Digits(20).optional(),
  MsgId: Digits(24).optional(),
  /** WeCom's own limit is 2048 bytes; anything it delivers is stored whole (the core answers one too long to read). */
  Content: z.string().max(MAX_INBOUND_TEXT_CHARS).optional(),
  Event: z.string().max(64).optional(),
  EventKey: z.string().max(1024).optional(),
  TaskId: z.string().max(128).optional(),
  CardType: z.string().max(64).optional(),
  ResponseCode: z.string().max(512).optional(),
});
export type WecomMessage = z.infer<typeof WecomMessageSchema>;

export function parseEnvelope(xml: string): Envelope {
  return check(EnvelopeSchema, parseXmlRoot(xml), "envelope");
}

export function parseWecomMessage(xml: string): WecomMessage {
  return check(WecomMessageSchema, parseXmlRoot(xml), "message");
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new WecomInputError(400, `invalid ${what}: ${first ? `${first.path.join(".") || "root"} ${first.message}` : "unreadable"}`);
}
