// One unit, several spellings (公斤 = 千克 = kg, 平米 = ㎡, 米 = m): what the order engine and the NLU scorer compare.
// Each row is a single unit written different ways; nothing here converts one unit into another (米 is never 卷).

/** Spellings of one unit (not conversions: each row is a single unit). The first is how it is shown. */
const SPELLINGS: readonly (readonly string[])[] = [
  ["千克", "公斤", "kg", "KG", "Kg", "kgs"],
  ["米", "m", "M", "延米"],
  ["平方米", "平米", "平方", "平", "㎡", "m²", "m2", "M2"],
  ["立方米", "立方", "方", "m³", "m3", "M3"],
  ["千米", "公里", "km", "KM"],
  ["升", "公升", "L", "l"],
  ["毫升", "ml", "mL", "ML"],
  ["吨", "t", "T"],
  // pcs is written 件 on Chinese invoices (PCS/件); the rule parser reads 3000pcs as 3000件.
  ["件", "pcs", "PCS", "Pcs", "pc", "PC"],
];
const CANONICAL = new Map(SPELLINGS.flatMap((row) => row.map((s) => [s.toLowerCase(), row[0]!] as const)));

/** One spelling per unit: 公斤/kg → 千克, ㎡ → 平方米, pcs → 个; anything else trimmed as written. */
export function canonicalUnit(unit: string): string {
  const u = unit.normalize("NFKC").trim();
  return CANONICAL.get(u.toLowerCase()) ?? CANONICAL.get(unit.trim().toLowerCase()) ?? u;
}
