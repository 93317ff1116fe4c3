// A typed table written as CSV (UTF-8 with a BOM, so Excel on a Chinese Windows opens it as UTF-8, not GBK) or
// XLSX (typed cells: times as Excel dates showing the wall clock in the bot's time zone, amounts as numbers with a
// ¥ format, counts as integers, phones as text). Amounts are Decimal text from the database: a cell gets the one
// double that text names (what Excel stores), never a sum computed in floating point. Pure: table in, bytes out.
import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import { toLocal } from "../../core/local-time.ts";
import { money, moneyText } from "../../core/money.ts";

export type ColumnType = "text" | "datetime" | "money" | "integer" | "percent";

export interface Column {
  header: string;
  type: ColumnType;
  width?: number;
}

/** text: string; datetime: Date; money and percent: decimal text ("4999.50", "0.1000"); integer: number. */
export type Value = string | number | Date | null;

export interface TypedTable {
  sheet: string;
  columns: Column[];
  rows: Value[][];
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-23 10:00" as read on the wall clock in `timeZone`. */
export function localText(d: Date, timeZone: string): string {
  const l = toLocal(d, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** Excel has no time zones: a cell holds a wall clock. The Date whose UTC fields are that wall clock in `timeZone`. */
export function excelWallClock(d: Date, timeZone: string): Date {
  const l = toLocal(d, timeZone);
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}

/** "10%" / "12.5%" for a fraction's decimal text. */
const percentText = (fraction: string) => `${money(fraction).times(100).toDecimalPlaces(2).toString()}%`;

export function writeCsv(t: TypedTable, timeZone: string): Buffer {
  const cell = (c: Column, v: Value): string => {
    if (v === null) return "";
    switch (c.type) {
      case "datetime":
        return localText(v as Date, timeZone);
      case "money":
        return moneyText(String(v));
      case "percent":
        return percentText(String(v));
      default:
        return String(v);
    }
  };
  const text = stringify([t.columns.map((c) => c.header), ...t.rows.map((r) => t.columns.map((c, i) => cell(c, r[i] ?? null)))], { record_delimiter: "windows" });
  return Buffer.from(`\uFEFF${text}`, "utf8");
}

const FORMATS: Partial<Record<ColumnType, string>> = {
  datetime: "yyyy-mm-dd hh:mm",
  money: '"¥"#,##0.00',
  integer: "0",
  percent: "0.00%",
  text: "@",
};

export async function writeXlsx(t: TypedTable, timeZone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "sales-desk-bot";
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({ header: c.header, width: c.width ?? defaultWidth(c), style: { numFmt: FORMATS[c.type] } }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows) {
    ws.addRow(
      t.columns.map((c, i) => {
        const v = r[i] ?? null;
        if (v === null) return null;
        switch (c.type) {
          case "datetime":
            return excelWallClock(v as Date, timeZone);
          case "money":
          case "percent":
            // The double the exact decimal text names (Excel stores doubles); 14 significant digits survive it.
            return Number(String(v));
          case "integer":
            return v as number;
          default:
            return String(v);
        }
      }),
    );
  }
  if (t.rows.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function defaultWidth(c: Column): number {
  if (c.type === "datetime") return 17;
  if (c.type === "money") return 14;
  if (c.type === "integer" || c.type === "percent") return 9;
  return Math.max(10, [...c.header].length * 2 + 2);
}
