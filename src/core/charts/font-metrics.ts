// The horizontal advance of each character in an OpenType font, read from its own tables (cmap: character →
// glyph; hmtx/hhea: glyph → advance; head: units per em). render-chart.ts lays chart labels out with it, one cached
// glyph outline after another, instead of asking resvg to shape every label against the 8 MB CJK font. No kerning
// (chart labels are short: names, numbers, dates, stage names), which is the only thing a full shaper adds here.

export interface FontMetrics {
  unitsPerEm: number;
  /** Advance width of the character in font units (the missing-glyph advance for a character not in the font). */
  advance(codePoint: number): number;
}

export function readFontMetrics(bytes: Uint8Array): FontMetrics {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const count = v.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
    tables.set(tag, v.getUint32(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font has no ${tag} table`);
    return at;
  };
  const unitsPerEm = v.getUint16(table("head") + 18);
  const metricsCount = v.getUint16(table("hhea") + 34);
  const hmtx = table("hmtx");
  // Glyphs past numberOfHMetrics share the last advance.
  const advances = new Uint16Array(metricsCount);
  for (let g = 0; g < metricsCount; g++) advances[g] = v.getUint16(hmtx + g * 4);
  const glyphOf = readCmap(v, table("cmap"));
  return {
    unitsPerEm,
    advance: (cp) => advances[Math.min(glyphOf(cp), metricsCount - 1)] ?? 0,
  };
}

/** The Unicode cmap: a full-repertoire subtable (format 12) if there is one, else the BMP one (format 4). */
function readCmap(v: DataView, cmap: number): (cp: number) => number {
  const n = v.getUint16(cmap + 2);
  let format4 = -1;
  let format12 = -1;
  for (let i = 0; i < n; i++) {
    const platform = v.getUint16(cmap + 4 + i * 8);
    const encoding = v.getUint16(cmap + 6 + i * 8);
    const at = cmap + v.getUint32(cmap + 8 + i * 8);
    const format = v.getUint16(at);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 < 0) format12 = at;
    if (format === 4 && format4 < 0) format4 = at;
  }
  if (format12 >= 0) {
    const groups = v.getUint32(format12 + 12);
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = format12 + 16 + mid * 12;
        if (cp < v.getUint32(g)) hi = mid - 1;
        else if (cp > v.getUint32(g + 4)) lo = mid + 1;
        else return v.getUint32(g + 8) + cp - v.getUint32(g);
      }
      return 0;
    };
  }
  if (format4 < 0) throw new Error("font has no Unicode cmap");
  const segs = v.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const offsets = deltas + segs * 2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let i = 0; i < segs; i++) {
      if (cp > v.getUint16(ends + i * 2)) continue;
      const start = v.getUint16(starts + i * 2);
      if (cp < start) return 0;
      const delta = v.getInt16(deltas + i * 2);
      const offset = v.getUint16(offsets + i * 2);
      if (offset === 0) return (cp + delta) & 0xffff;
      const glyph = v.getUint16(offsets + i * 2 + offset + (cp - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
