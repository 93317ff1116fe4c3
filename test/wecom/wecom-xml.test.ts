// The callback's XML fast path (parseFlatXml) against the general parser (fast-xml-parser after its validator and the
// declaration check): wherever the fast path answers, it answers exactly what the general parser does; for
// anything outside WeCom's flat shape it declines, and the general parser's refusals still apply.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFlatXml, parseXmlRoot, parseXmlRootGeneral, WecomInputError } from "../../src/channels/wecom/wecom-xml.ts";

const general = (xml: string): unknown => {
  try {
    return parseXmlRootGeneral(xml);
  } catch (err) {
    return { refused: (err as Error).message };
  }
};

const ws = fc.constantFrom("", " ", "\n", "\t", "  \n ", "\r\n");
const name = fc.oneof(
  fc.constantFrom("ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "AgentID", "Encrypt", "Event", "EventKey"),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.:-]{0,8}$/),
);
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(" x ", "12", "a\nb", "\u00a0x\u00a0", "\ufeffx", "x]]>y", "a>b", "&amp;", "&#x41;", "<b>", "\u0000", "<!DOCTYPE x>", "]]", "\t"),
);
const value = fc.oneof(
  text.map((t) => t.replace(/[<&]/g, "")),
  text,
  text.map((t) => `<![CDATA[${t}]]>`),
  fc.tuple(ws, text, ws).map(([a, t, b]) => `${a}<![CDATA[${t}]]>${b}`),
  fc.tuple(text, text).map(([a, b]) => `<![CDATA[${a}]]><![CDATA[${b}]]>`),
);
const element = fc.tuple(name, value, fc.boolean()).map(([n, v, selfClose]) => (selfClose && v === "" ? `<${n}/>` : `<${n}>${v}</${n}>`));
const doc = fc
  .tuple(ws, fc.array(fc.tuple(ws, element), { maxLength: 6 }), ws, ws, fc.constantFrom("", "<?xml version=\"1.0\"?>", "\ufeff", "x"))
  .map(([a, els, b, c, before]) => `${before}${a}<xml>${els.map(([w, e]) => w + e).join("")}${b}</xml>${c}`);
/** WeCom's own shape: distinct PascalCase elements, CDATA or plain text, whitespace between. */
const flatDoc = fc
  .tuple(
    ws,
    fc.uniqueArray(
      fc.tuple(fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,10}$/), fc.oneof(text.map((t) => `<![CDATA[${t}]]>`), text.map((t) => t.replace(/[<&]/g, "")))),
      { selector: ([n]) => n, minLength: 1, maxLength: 8 },
    ),
    ws,
  )
  .map(([a, els, b]) => `${a}<xml>${els.map(([n, v]) => `<${n}>${v}</${n}>`).join(a)}${b}</xml>${a}`);
/** Documents as sent, then cut or with a character changed somewhere. */
const mutated = fc.tuple(fc.oneof(flatDoc, doc), fc.nat(), fc.constantFrom("", "<", ">", "&", "]", "/", "!", "\r", "x", " ")).map(([d, at, ch]) => {
  const i = at % (d.length + 1);
  return d.slice(0, i) + ch + d.slice(i + (ch ? 1 : 0));
});

describe("WeCom XML fast path", () => {
  it("reads WeCom's callback shape", () => {
    const xml = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 显示 <!doctype html> & 一堆代码 ]]></Content><MsgId>1234567890123456789</MsgId><AgentID>1000002</AgentID></xml>";
    expect(parseFlatXml(xml)).toEqual({ ToUserName: "ww1", FromUserName: "zhangsan", CreateTime: "1700000000", MsgType: "text", Content: " 显示 <!doctype html> & 一堆代码 ", MsgId: "1234567890123456789", AgentID: "1000002" });
    expect(parseFlatXml(xml)).toEqual(parseXmlRootGeneral(xml));
  });

  it("answers exactly what the general parser answers, or leaves the document to it", () => {
    fc.assert(
      fc.property(fc.oneof(flatDoc, doc, mutated), (xml) => {
        const fast = parseFlatXml(xml);
        if (fast !== null) expect(fast).toEqual(general(xml));
        // What the receiver uses is the same as the general parser either way, refusals included.
        let got: unknown;
        try {
          got = parseXmlRoot(xml);
        } catch (err) {
          expect(err).toBeInstanceOf(WecomInputError);
          got = { refused: (err as Error).message };
        }
        expect(got).toEqual(general(xml));
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });

  it("declines declarations, repeated elements, entities and prototype names", () => {
    for (const xml of [
      '<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>',
      "<xml><A>1</A><A>2</A></xml>",
      "<xml><A>&amp;</A></xml>",
      "<xml><constructor>1</constructor></xml>",
      "<xml><__proto__>1</__proto__></xml>",
      "<xml><A><B>1</B></A></xml>",
      "<xml></xml>",
      "<xml><A x=\"1\">1</A></xml>",
    ]) {
      expect(parseFlatXml(xml)).toBeNull();
    }
    expect(() => parseXmlRoot('<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>')).toThrow(/DTDs and entities/);
  });
});
