// Working time, said once: which days are working days (China's official calendar, with its 调休 make-up
// days, from the `chinese-days` package's bundled data) and which hours of such a day count (`rules.workingHours`,
// local time in the bot's zone). Anything that waits "N working hours" measures it here, and a later change to
// the calendar (a company's own extra days) belongs in this one module.
//
// A company's own days (the org file's `calendar.extraHolidays` / `calendar.extraWorkdays`) override the official
// calendar here too, for every caller that passes them.
//
// Note: the bundled calendar is as complete as the package version's data (1.5.7: up to 2026). A year the package
// does not know (no 元旦 holiday on January 1st) is read as Monday–Friday without holidays, and said once in the
// log, until the package is updated.
import chineseDays from "chinese-days";
import { fromLocal, toLocal, type LocalDate } from "./local-time.ts";

/** A working day's hours, local wall clock, "HH:MM" (24 h), start before end. */
export interface WorkingHours {
  start: string;
  end: string;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { start: "09:00", end: "18:00" };

const HOUR_MS = 3600_000;
/** Most days one measurement walks through (a notice older than this is simply "long overdue"). */
const MAX_DAYS = 3660;

const pad = (n: number) => String(n).padStart(2, "0");
const dayKey = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

/** "09:00" → [9, 0]; throws on anything else (the org file's schema checks it first). */
export function parseClock(hhmm: string): [number, number] {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day (HH:MM): ${hhmm}`);
  return [Number(m[1]), Number(m[2])];
}

/** A company's own days on top of the official calendar ("YYYY-MM-DD"): extra days off, extra days worked. */
export interface WorkCalendar {
  extraHolidays?: readonly string[];
  extraWorkdays?: readonly string[];
}

/** Where the one "year unknown to chinese-days" warning goes (a logger's warn; default: stderr). */
export type CalendarWarn = (message: string, fields: Record<string, unknown>) => void;

const knownYears = new Map<number, boolean>();
const warnedYears = new Set<number>();

/**
 * Whether chinese-days has data for `year`: January 1st is named 元旦 in every year it knows. (Its being a day off
 * is not enough: in a year the package does not know, a January 1st on a Saturday is "off" as a weekend.)
 */
export function calendarKnowsYear(year: number): boolean {
  let known = knownYears.get(year);
  if (known === undefined) {
    known = chineseDays.getDayDetail(`${pad(year)}-01-01`).name.includes("元旦");
    knownYears.set(year, known);
  }
  return known;
}

const defaultWarn: CalendarWarn = (message, fields) => console.warn(message, JSON.stringify(fields));

/**
 * Whether the calendar day is a working day: the company's own days first, then China's official calendar (调休
 * Saturdays are; holidays are not); a year the package does not know falls back to Monday–Friday (logged once).
 */
export function isWorkdayDate(day: LocalDate, calendar?: WorkCalendar, warn: CalendarWarn = defaultWarn): boolean {
  const key = dayKey(day);
  if (calendar?.extraHolidays?.includes(key)) return false;
  if (calendar?.extraWorkdays?.includes(key)) return true;
  if (!calendarKnowsYear(day.year)) {
    if (!warnedYears.has(day.year)) {
      warnedYears.add(day.year);
      warn("chinese-days has no holiday data for this year: Monday to Friday count as working days until the package is updated", { year: day.year });
    }
    const w = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
    return w !== 0 && w !== 6;
  }
  return chineseDays.isWorkday(key);
}

/** Whether the local day of `date` in `timeZone` is a working day. */
export function isWorkday(date: Date, timeZone: string, calendar?: WorkCalendar, warn?: CalendarWarn): boolean {
  return isWorkdayDate(toLocal(date, timeZone), calendar, warn);
}

/** The working window [start, end) of one calendar day, or null on a day off. */
function windowOf(day: LocalDate, timeZone: string, hours: WorkingHours, calendar?: WorkCalendar): [number, number] | null {
  if (!isWorkdayDate(day, calendar)) return null;
  const [sh, sm] = parseClock(hours.start);
  const [eh, em] = parseClock(hours.end);
  return [fromLocal({ ...day, hour: sh, minute: sm }, timeZone).getTime(), fromLocal({ ...day, hour: eh, minute: em }, timeZone).getTime()];
}

/** Whether `at` falls inside working hours of a working day. */
export function isWorkingTime(at: Date, timeZone: string, hours: WorkingHours = DEFAULT_WORKING_HOURS, calendar?: WorkCalendar): boolean {
  const w = windowOf(toLocal(at, timeZone), timeZone, hours, calendar);
  return w !== null && at.getTime() >= w[0] && at.getTime() < w[1];
}

const nextDay = (d: LocalDate): LocalDate => {
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
};

/** Working hours (fractional) between two instants: only the parts inside working windows of working days count. */
export function workingHoursBetween(from: Date, to: Date, timeZone: string, hours: WorkingHours = DEFAULT_WORKING_HOURS, calendar?: WorkCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  const last = dayKey(toLocal(to, timeZone));
  let day: LocalDate = toLocal(from, timeZone);
  let ms = 0;
  for (let i = 0; i < MAX_DAYS; i++) {
    const w = windowOf(day, timeZone, hours, calendar);
    if (w) ms += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
    if (dayKey(day) === last) break;
    day = nextDay(day);
  }
  return ms / HOUR_MS;
}

/** The quiet hours "21:00-08:00" (local, may wrap midnight): whether `at` falls inside them. */
export function isQuietTime(at: Date, timeZone: string, quietHours: string): boolean {
  const [from, to] = parseQuietHours(quietHours);
  const l = toLocal(at, timeZone);
  const m = l.hour * 60 + l.minute;
  return from <= to ? m >= from && m < to : m >= from || m < to;
}

/** "21:00-08:00" → minutes of the day [start, end]; throws on anything else (the org file's schema checks it first). */
export function parseQuietHours(quietHours: string): [number, number] {
  const [a, b, ...rest] = quietHours.split("-");
  if (a === undefined || b === undefined || rest.length) throw new Error(`not a span of the day (HH:MM-HH:MM): ${quietHours}`);
  const [ah, am] = parseClock(a.trim());
  const [bh, bm] = parseClock(b.trim());
  return [ah * 60 + am, bh * 60 + bm];
}

/**
 * Quiet hours for a non-urgent push (a follow-up reminder, an approval or dispatch waiting): inside them nothing is
 * claimed or sent, and the first run after they end sends it. Said once here for every reminder job.
 */
export function holdForQuietHours(now: Date, timeZone: string, quietHours: string | undefined): boolean {
  return !!quietHours && isQuietTime(now, timeZone, quietHours);
}

/**
 * What a reminder that waited out the quiet hours says about when it was due: "原定 22:00" when `due` fell inside
 * them, else null (it was not held, or quiet hours are off).
 */
export function heldSinceNote(due: Date, timeZone: string, quietHours: string | undefined): string | null {
  if (!quietHours || !isQuietTime(due, timeZone, quietHours)) return null;
  const l = toLocal(due, timeZone);
  return `原定 ${pad(l.hour)}:${pad(l.minute)}`;
}

/**
 * The moment `needed` working hours after `from` were reached, to the minute, if before `upTo` (else `upTo`): when a
 * "remind after N working hours" became due, to say so on a reminder held by quiet hours.
 */
export function workingDeadline(from: Date, needed: number, upTo: Date, timeZone: string, hours: WorkingHours = DEFAULT_WORKING_HOURS, calendar?: WorkCalendar): Date {
  let lo = from.getTime();
  let hi = upTo.getTime();
  if (workingHoursBetween(from, upTo, timeZone, hours, calendar) < needed) return upTo;
  while (hi - lo > 60_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (workingHoursBetween(from, new Date(mid), timeZone, hours, calendar) >= needed) hi = mid;
    else lo = mid;
  }
  return new Date(Math.floor(hi / 60_000) * 60_000);
}
