// The receiver's pure parts against real payload shapes (test/fixtures/wecom, copied from the WeCom docs).
import { readFileSync } from "node:fs";
import { encrypt, getSignature } from "@wecom/crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InboundEventSchema, MAX_INBOUND_TEXT_CHARS } from "../../src/core/inbound-event.ts";
import { callbackParams, openEncrypted, rawQuery, verifySignature } from "../../src/channels/wecom/wecom-crypto.ts";
import { toInboundEvent } from "../../src/channels/wecom/wecom-to-event.ts";
import { parseEnvelope, parseWecomMessage, WecomInputError, WecomMessageSchema } from "../../src/channels/wecom/wecom-xml.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/wecom/${name}`, import.meta.url), "utf8");
const vector = JSON.parse(fixture("official-vector.json")) as Record<string, string>;
const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof WecomInputError) return e.status;
    throw e;
  }
  return 0;
};

describe("crypto checks", () => {
  it("verifies and decrypts the official sample vector", () => {
    const p = callbackParams(new Map([["msg_signature", vector.msg_signature!], ["timestamp", vector.timestamp!], ["nonce", vector.nonce!]]), Number(vector.timestamp) * 1000);
    expect(() => verifySignature(vector.token!, p, vector.echostr!)).not.toThrow();
    const xml = openEncrypted(vector.encodingAesKey!, vector.corpId!, vector.echostr!);
    expect(parseWecomMessage(xml)).toMatchObject({ FromUserName: "mycreate", MsgType: "text", AgentID: "218" });
  });

  it("keeps '+' in the raw query (form decoding would turn it into a space)", () => {
    const q = rawQuery("/wecom/callback?echostr=a%2Bb+c%2F%3D&nonce=1");
    expect(q.get("echostr")).toBe("a+b+c/=");
    expect(status(() => rawQuery("/x?a=1&a=2"))).toBe(400);
    expect(status(() => rawQuery("/x?a=%E0%A4%A"))).toBe(400);
  });

  it("refuses missing parameters (400) and timestamps more than an hour off (401)", () => {
    const now = 1_800_000_000_000;
    const q = (ts: number) => new Map([["msg_signature", "a".repeat(40)], ["timestamp", String(ts)], ["nonce", "n"]]);
    expect(status(() => callbackParams(new Map([["timestamp", "1"]]), now))).toBe(400);
    expect(status(() => callbackParams(q(now / 1000 - 3500), now))).toBe(0);
    expect(status(() => callbackParams(q(now / 1000 - 3700), now))).toBe(401);
    expect(status(() => callbackParams(q(now / 1000 + 3700), now))).toBe(401);
  });

  it("rejects a ciphertext for another CorpID, and garbage, with 400", () => {
    const key = "a".repeat(43);
    expect(status(() => openEncrypted(key, "ww1", encrypt(key, "<xml/>", "ww2")))).toBe(400);
    expect(status(() => openEncrypted(key, "ww1", "AAAA"))).toBe(400);
    expect(status(() => openEncrypted("b".repeat(43), "ww1", encrypt(key, "<xml/>", "ww1")))).toBe(400);
  });

  it("compares signatures over the exact ciphertext", () => {
    const p = { signature: getSignature("t", "1", "n", "abc"), timestamp: "1", nonce: "n" };
    expect(() => verifySignature("t", p, "abc")).not.toThrow();
    expect(status(() => verifySignature("t", p, "abd"))).toBe(401);
  });
});

describe("XML parsing", () => {
  it("refuses DTDs and entities outright", () => {
    expect(status(() => parseWecomMessage(fixture("entity-bomb.xml")))).toBe(400);
    expect(status(() => parseEnvelope('<!ENTITY x "y"><xml><Encrypt>abc</Encrypt></xml>'))).toBe(400);
  });

  it("refuses malformed XML and a wrong root", () => {
    expect(status(() => parseWecomMessage("<xml><ToUserName>a</xml>"))).toBe(400);
    expect(status(() => parseWecomMessage("<root><a>1</a></root>"))).toBe(400);
    expect(status(() => parseEnvelope("<xml><Encrypt>not base64!</Encrypt></xml>"))).toBe(400);
  });

  it("keeps a 64-bit MsgId exact", () => {
    const xml = fixture("text.xml").replace("1234567890123456", "9223372036854775807");
    expect(toInboundEvent(parseWecomMessage(xml))).toMatchObject({ eventId: "msg:9223372036854775807" });
  });
});

describe("toInboundEvent", () => {
  it("maps a text message", () => {
    expect(toInboundEvent(parseWecomMessage(fixture("text.xml")))).toEqual({
      platform: "wecom", kind: "message", eventId: "msg:1234567890123456", senderId: "fromUser", occurredAt: 1348831860000, text: "this is a test",
    });
  });

  it("maps enter_agent to kind enter", () => {
    expect(toInboundEvent(parseWecomMessage(fixture("enter-agent.xml")))).toEqual({
      platform: "wecom", kind: "enter", eventId: "evt:FromUser:1408091189:enter_agent::", senderId: "FromUser", occurredAt: 1408091189000,
    });
  });

  it("maps a template_card_event click to kind action (SelectedItems ignored)", () => {
    expect(toInboundEvent(parseWecomMessage(fixture("template-card-event.xml")))).toEqual({
      platform: "wecom", kind: "action", eventId: "evt:FromUser:123456789:template_card_event:taskid111:key111", senderId: "FromUser",
      occurredAt: 123456789000, actionKey: "key111", cardRef: "taskid111", responseCode: "ResponseCode",
    });
  });

  it("maps images and friends to unsupported, and ignores subscribe", () => {
    expect(toInboundEvent(parseWecomMessage(fixture("image.xml")))).toMatchObject({ kind: "unsupported", messageType: "image", eventId: "msg:1234567890123456" });
    expect(toInboundEvent(parseWecomMessage(fixture("subscribe.xml")))).toBeNull();
  });

  it("hashes very long click ids to stay within 512 characters, deterministically", () => {
    const xml = fixture("template-card-event.xml").replace("key111", "k".repeat(1000));
    const a = toInboundEvent(parseWecomMessage(xml));
    expect(a?.eventId).toMatch(/^evt:sha256:[0-9a-f]{64}$/);
    expect(toInboundEvent(parseWecomMessage(xml))?.eventId).toBe(a?.eventId);
  });
});

// toInboundEvent does not parse its result again (every callback passes there): WecomMessageSchema's bounds must keep
// every event it builds valid. Loosening a bound there (or building a field differently) fails these.
describe("toInboundEvent builds valid events only", () => {
  const fits = (m: Record<string, string>) => {
    const event = toInboundEvent(WecomMessageSchema.parse(m));
    if (event) expect(InboundEventSchema.parse(event)).toEqual(event);
    return event;
  };
  // The schema's own limits, so that raising one there is tested here.
  const shape = WecomMessageSchema.shape as Record<string, { maxLength?: number | null; unwrap?: () => { maxLength: number | null } }>;
  const limit = (k: keyof typeof WecomMessageSchema.shape) => (shape[k]!.unwrap?.() ?? shape[k]!).maxLength!;
  const max = (k: keyof typeof WecomMessageSchema.shape, c = "x") => c.repeat(limit(k));

  it("at the message schema's limits, for each kind", () => {
    expect(limit("Content")).toBe(MAX_INBOUND_TEXT_CHARS);
    const base = { ToUserName: max("ToUserName"), FromUserName: max("FromUserName"), CreateTime: "999999999999" };
    expect(fits({ ...base, MsgType: "text", Content: max("Content", "字") })?.kind).toBe("message");
    expect(fits({ ...base, MsgType: "text", Content: "" })?.kind).toBe("message");
    expect(fits({ ...base, MsgType: "text", Content: "hi", MsgId: "9".repeat(24) })?.kind).toBe("message");
    expect(fits({ ...base, MsgType: max("MsgType", "z") })).toBeNull();
    for (const MsgType of ["image", "voice", "video", "location", "file", "link"]) expect(fits({ ...base, MsgType })?.kind).toBe("unsupported");
    expect(fits({ ...base, MsgType: "event", Event: "enter_agent" })?.kind).toBe("enter");
    const click = fits({ ...base, MsgType: "event", Event: "template_card_event", EventKey: max("EventKey"), TaskId: max("TaskId"), ResponseCode: max("ResponseCode") });
    expect(click).toMatchObject({ kind: "action", cardRef: max("TaskId"), responseCode: max("ResponseCode") });
  });

  it("for any message the schema accepts", () => {
    const text = (maxLength: number) => fc.string({ maxLength, unit: "grapheme" });
    const message = fc.record(
      {
        ToUserName: fc.string({ minLength: 1, maxLength: 128 }),
        FromUserName: fc.string({ minLength: 1, maxLength: 256 }),
        CreateTime: fc.stringMatching(/^\d{1,12}$/),
        MsgType: fc.constantFrom("text", "image", "voice", "file", "event", "news"),
        MsgId: fc.stringMatching(/^\d{1,24}$/),
        Content: text(300),
        Event: fc.constantFrom("enter_agent", "template_card_event", "template_card_menu_event", "subscribe"),
        EventKey: text(1024),
        TaskId: text(128),
        ResponseCode: text(512),
      },
      { requiredKeys: ["ToUserName", "FromUserName", "CreateTime", "MsgType"] },
    );
    fc.assert(
      fc.property(message, (m) => {
        if (m.MsgType === "text" && m.Content === undefined) return;
        fits(m);
      }),
      { seed: 14, numRuns: 500 },
    );
  });
});
