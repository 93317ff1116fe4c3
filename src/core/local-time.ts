// Dates as people in the bot's time zone read them ("11月25日 周三 09:00"), and day arithmetic in that zone.
const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

function parts(d: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    weekday: "short",
  });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const wd = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(p.weekday ?? "");
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hh: Number(p.hour), mm: Number(p.minute), wd };
}

/** "11月25日 周三 09:00" */
export function formatLocal(d: Date, timeZone: string): string {
  const p = parts(d, timeZone);
  return `${p.m}月${p.d}日 ${WEEKDAYS[p.wd]} ${String(p.hh).padStart(2, "0")}:${String(p.mm).padStart(2, "0")}`;
}

/** "11月25日" */
export function formatLocalDate(d: Date, timeZone: string): string {
  const p = parts(d, timeZone);
  return `${p.m}月${p.d}日`;
}

/** "2026-11-25" */
export function localDateKey(d: Date, timeZone: string): string {
  const p = parts(d, timeZone);
  return `${p.y}-${String(p.m).padStart(2, "0")}-${String(p.d).padStart(2, "0")}`;
}

/** The offset of `timeZone` at instant `d`, in minutes east of UTC. */
export function zoneOffsetMinutes(d: Date, timeZone: string): number {
  const p = parts(d, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm);
  return Math.round((asUtc - Math.floor(d.getTime() / 60_000) * 60_000) / 60_000);
}

/** The instant of local wall time y-m-d hh:mm in `timeZone`. */
export function localTime(y: number, m: number, d: number, hh: number, mm: number, timeZone: string): Date {
  const guess = new Date(Date.UTC(y, m - 1, d, hh, mm));
  const off = zoneOffsetMinutes(guess, timeZone);
  return new Date(guess.getTime() - off * 60_000);
}

/** Same local day as `d`, at hh:mm. */
export function atLocalHour(d: Date, hh: number, timeZone: string, mm = 0): Date {
  const p = parts(d, timeZone);
  return localTime(p.y, p.m, p.d, hh, mm, timeZone);
}

/** `days` calendar days after `d`'s local date, at hh:mm local. */
export function addLocalDays(d: Date, days: number, hh: number, timeZone: string): Date {
  const p = parts(d, timeZone);
  const base = new Date(Date.UTC(p.y, p.m - 1, p.d + days));
  return localTime(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), hh, 0, timeZone);
}

export function isMidnightLocal(d: Date, timeZone: string): boolean {
  const p = parts(d, timeZone);
  return p.hh === 0 && p.mm === 0;
}

/** Local midnight of the Monday of `d`'s week (weeks start on Monday). */
export function startOfLocalWeek(d: Date, timeZone: string): Date {
  const p = parts(d, timeZone);
  return addLocalDays(d, -((p.wd + 6) % 7), 0, timeZone);
}

/** Local midnight of the 1st of `d`'s month. */
export function startOfLocalMonth(d: Date, timeZone: string): Date {
  const p = parts(d, timeZone);
  return localTime(p.y, p.m, 1, 0, 0, timeZone);
}

/** The ISO week of `d`'s local date: "2026-W48". */
export function localIsoWeekKey(d: Date, timeZone: string): string {
  const p = parts(d, timeZone);
  const day = new Date(Date.UTC(p.y, p.m - 1, p.d));
  day.setUTCDate(day.getUTCDate() + 3 - ((p.wd + 6) % 7)); // the Thursday of the week decides its year
  const year = day.getUTCFullYear();
  const week = 1 + Math.floor((day.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}
