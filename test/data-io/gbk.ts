// A GBK encoder for the tests, built from the runtime's own GBK decoder: every two-byte GBK code decoded once gives
// the table back the other way. So a test can write the bytes Chinese Excel writes for a "CSV (逗号分隔)" file.
let table: Map<string, number[]> | null = null;

function reverseTable(): Map<string, number[]> {
  if (table) return table;
  const dec = new TextDecoder("gbk", { fatal: true });
  table = new Map();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      try {
        const ch = dec.decode(new Uint8Array([hi, lo]));
        if ([...ch].length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
      } catch {
        // not a GBK code
      }
    }
  }
  return table;
}

export function encodeGbk(text: string): Buffer {
  const t = reverseTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = t.get(ch);
      if (!bytes) throw new Error(`not in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}
