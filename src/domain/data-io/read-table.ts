// Reads an uploaded spreadsheet into rows of cells with the line number a person sees (Excel's row number, the
// CSV file's line), whatever produced it: .xlsx through exceljs; CSV through csv-parse in UTF-8 (with or without
// BOM), UTF-16 (Excel's "Unicode text") or GB18030/GBK (Chinese Excel's "CSV" save), comma-, semicolon- or
// tab-separated. No I/O: bytes in, table out.
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { AppError } from "../../core/app-error.ts";

/** A cell as read: text, a number (xlsx numeric cell), a date (xlsx date cell), a boolean, or empty. */
export type Cell = string | number | Date | boolean | null;

export interface TableRow {
  /** 1-based line (CSV) or row number (xlsx), as the person sees it in their editor. */
  line: number;
  cells: Cell[];
}

export interface Table {
  format: "csv" | "xlsx";
  /** csv: utf-8, utf-8-bom, utf-16le, utf-16be or gb18030; xlsx: the sheet read. */
  encoding?: string;
  sheet?: string;
  rows: TableRow[];
}

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // a zip file
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // the old binary .xls

const startsWith = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);

export async function readTable(bytes: Uint8Array, fileName: string): Promise<Table> {
  if (bytes.length > MAX_IMPORT_BYTES) throw new AppError("import_too_big", `文件太大（${Math.round(bytes.length / 1024 / 1024)} MB），最多 ${MAX_IMPORT_BYTES / 1024 / 1024} MB。请分成几个文件导入。`);
  if (startsWith(bytes, OLE_MAGIC)) throw new AppError("import_xls", `「${fileName}」是旧版 Excel（.xls）文件。请在 Excel 里「另存为」.xlsx 或 CSV 后再导入。`);
  if (startsWith(bytes, XLSX_MAGIC)) return readXlsx(bytes, fileName);
  if (/\.xlsx$/i.test(fileName)) throw new AppError("import_bad_xlsx", `「${fileName}」不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）。`);
  return readCsv(bytes);
}

/** Text of a CSV file: BOMs first, then strict UTF-8, else GB18030 (a superset of GBK, as Chinese Excel saves). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8-bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not valid UTF-8: GBK bytes almost never are, so this is what a Chinese Excel "CSV (逗号分隔)" save gives.
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "gb18030" };
  }
}

/** The separator of the first non-empty line: the most frequent of comma, tab, semicolon outside quotes. */
function guessDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim()) ?? "";
  const outside = first.replace(/"[^"]*"/g, "");
  let best = { d: ",", n: 0 };
  for (const d of [",", "\t", ";"]) {
    const n = outside.split(d).length - 1;
    if (n > best.n) best = { d, n };
  }
  return best.d;
}

function readCsv(bytes: Uint8Array): Table {
  const { text, encoding } = decodeText(bytes);
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, { delimiter: guessDelimiter(text), info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new AppError("import_bad_csv", `CSV 文件第 ${e.lines ?? "?"} 行格式有误（${e.message.replace(/^Invalid \w+: /, "")}），请检查引号是否成对。`);
  }
  const rows = records.map((r) => {
    // info.lines is where the record ends; a quoted cell may span lines, and skipped blank lines ride in raw.
    const body = r.raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "");
    const inner = (body.match(/\n/g) ?? []).length;
    return { line: r.info.lines - inner, cells: r.record.map((c) => (c === "" ? null : c)) };
  });
  return { format: "csv", encoding, rows };
}

async function readXlsx(bytes: Uint8Array, fileName: string): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (err) {
    throw new AppError("import_bad_xlsx", `无法读取「${fileName}」（${(err as Error).message}）。请确认它是 Excel 保存的 .xlsx 文件。`);
  }
  // The first sheet that holds anything (a workbook often starts with an empty or hidden sheet).
  const sheet = wb.worksheets.find((ws) => ws.state === "visible" && ws.actualRowCount > 0) ?? wb.worksheets[0];
  if (!sheet) return { format: "xlsx", rows: [] };
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellValue(row.getCell(c).value));
    if (cells.some((c) => c !== null)) rows.push({ line: rowNumber, cells });
  });
  return { format: "xlsx", sheet: sheet.name, rows };
}

/** One cell's value, whatever exceljs gives: formulas by their result, rich text and links by their text. */
function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  if (typeof v === "object") {
    if ("richText" in v) return cellValue(v.richText.map((r) => r.text).join(""));
    if ("formula" in v || "sharedFormula" in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ("hyperlink" in v) return cellValue((v as ExcelJS.CellHyperlinkValue).text);
    if ("error" in v) return null;
  }
  return String(v);
}
