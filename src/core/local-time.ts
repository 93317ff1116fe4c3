// The one clock and calendar: what a person in the bot's time zone reads on the clock ("11月25日 周三 09:00"),
// the instant a wall-clock time means there, and calendar-day arithmetic. Zone rules come from @date-fns/tz (the
// runtime's IANA data), so nothing depends on the machine's TZ. Everything returned is a plain Date.
import { TZDateMini, tzOffset } from "@date-fns/tz";

/** A calendar day, as written (month 1-12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** What a person in the zone reads on the clock. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

// Reading a zone's offset goes through Intl and costs microseconds; every message reads the clock several times.
// So the offset of each hour is remembered once it is known to hold for the whole hour (both ends agree: no zone
// changes its offset twice within an hour). An hour with a change in it is not remembered and always asks the
// zone rules (TZDateMini), as does any wall time within 15 hours of a change.
const HOUR_MS = 3_600_000;
const steadyHours = new Map<string, Map<number, number | null>>();

/** The zone's offset in minutes for the whole hour around `ms`, or null when it changes within that hour. */
function steadyOffset(ms: number, timeZone: string): number | null {
  let zone = steadyHours.get(timeZone);
  if (!zone) steadyHours.set(timeZone, (zone = new Map()));
  const hour = Math.floor(ms / HOUR_MS);
  let off = zone.get(hour);
  if (off === undefined) {
    const start = tzOffset(timeZone, new Date(hour * HOUR_MS));
    off = start === tzOffset(timeZone, new Date(hour * HOUR_MS + HOUR_MS - 1)) && Number.isFinite(start) ? start : null;
    if (zone.size >= 50_000) zone.clear(); // bounded: a job walking years of days must not grow it for ever
    zone.set(hour, off);
  }
  return off;
}

/** A Date whose UTC getters read the wall clock of `d` in `timeZone`. */
function wallClock(d: Date, timeZone: string): Date {
  const ms = d.getTime();
  const off = steadyOffset(ms, timeZone);
  if (off !== null) return new Date(ms + off * 60_000);
  const z = new TZDateMini(ms, timeZone);
  return new Date(Date.UTC(z.getFullYear(), z.getMonth(), z.getDate(), z.getHours(), z.getMinutes(), z.getSeconds(), z.getMilliseconds()));
}

/** Wall clock of `instant` in `timeZone`. */
export function toLocal(instant: Date, timeZone: string): LocalDateTime & { second: number } {
  const z = wallClock(instant, timeZone);
  return { year: z.getUTCFullYear(), month: z.getUTCMonth() + 1, day: z.getUTCDate(), hour: z.getUTCHours(), minute: z.getUTCMinutes(), second: z.getUTCSeconds() };
}

/** The local hour (0-23) of `d` in `timeZone`. */
export function localHour(d: Date, timeZone: string): number {
  return wallClock(d, timeZone).getUTCHours();
}

/** Offset of `timeZone` from UTC at `instant`, in minutes east (Asia/Shanghai: 480). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return steadyOffset(instant.getTime(), timeZone) ?? tzOffset(timeZone, instant);
}

/** The instant at which the wall clock in `timeZone` shows `local` (a time skipped by a DST jump moves forward). */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  // The wall time read as UTC is within 15 hours of the instant: when the offset holds all around it, that is it.
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = steadyOffset(wall - 15 * HOUR_MS, timeZone);
  if (before !== null && before === steadyOffset(wall + 15 * HOUR_MS, timeZone) && before === steadyOffset(wall, timeZone)) return new Date(wall - before * 60_000);
  return new Date(new TZDateMini(local.year, local.month - 1, local.day, local.hour, local.minute, timeZone).getTime());
}

/** The instant of local wall time y-m-d hh:mm in `timeZone`. */
export function localTime(y: number, m: number, d: number, hh: number, mm: number, timeZone: string): Date {
  return fromLocal({ year: y, month: m, day: d, hour: hh, minute: mm }, timeZone);
}

/** "11月25日 周三 09:00" */
export function formatLocal(d: Date, timeZone: string): string {
  const z = wallClock(d, timeZone);
  return `${z.getUTCMonth() + 1}月${z.getUTCDate()}日 ${WEEKDAYS[z.getUTCDay()]} ${pad(z.getUTCHours())}:${pad(z.getUTCMinutes())}`;
}

/** "11月25日" */
export function formatLocalDate(d: Date, timeZone: string): string {
  const z = wallClock(d, timeZone);
  return `${z.getUTCMonth() + 1}月${z.getUTCDate()}日`;
}

/** "2026-11-25" */
export function localDateKey(d: Date, timeZone: string): string {
  return localDateString(toLocal(d, timeZone));
}

/** "2026-12-02T09:00:00+08:00" for the wall clock `local` in `timeZone`. */
export function formatLocalIso(local: LocalDateTime, timeZone: string): string {
  const off = offsetMinutes(fromLocal(local, timeZone), timeZone);
  const abs = Math.abs(off);
  return `${localDateString(local)}T${pad(local.hour)}:${pad(local.minute)}:00${off >= 0 ? "+" : "-"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Same instant, written in the zone's own offset. */
export function formatInstantIso(instant: Date, timeZone: string): string {
  return formatLocalIso(toLocal(instant, timeZone), timeZone);
}

/** Same local day as `d`, at hh:mm. */
export function atLocalHour(d: Date, hh: number, timeZone: string, mm = 0): Date {
  return fromLocal({ ...toLocal(d, timeZone), hour: hh, minute: mm }, timeZone);
}

/** `days` calendar days after `d`'s local date, at hh:00 local. */
export function addLocalDays(d: Date, days: number, hh: number, timeZone: string): Date {
  return fromLocal({ ...addDays(toLocal(d, timeZone), days), hour: hh, minute: 0 }, timeZone);
}

/** Local midnight of the Monday of `d`'s week (weeks start on Monday). */
export function startOfLocalWeek(d: Date, timeZone: string): Date {
  return addLocalDays(d, 1 - isoWeekday(toLocal(d, timeZone)), 0, timeZone);
}

/** Local midnight of the 1st of `d`'s month. */
export function startOfLocalMonth(d: Date, timeZone: string): Date {
  const l = toLocal(d, timeZone);
  return localTime(l.year, l.month, 1, 0, 0, timeZone);
}

/** The ISO week of `d`'s local date: "2026-W48". */
export function localIsoWeekKey(d: Date, timeZone: string): string {
  const l = toLocal(d, timeZone);
  const thursday = addDays(l, 4 - isoWeekday(l)); // the Thursday of the week decides its year
  const week = 1 + Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / (7 * 86_400_000));
  return `${thursday.year}-W${pad(week)}`;
}

// Calendar arithmetic on plain days: no zone involved, they work on the wall-clock date.

export function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(d: LocalDate): number {
  const w = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** "2026-11-25" */
export function localDateString(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}
