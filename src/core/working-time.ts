// Working time, said once: which days are working days (China's official calendar, with its 调休 make-up
// days, from the `chinese-days` package's bundled data) and which hours of such a day count (`rules.workingHours`,
// local time in the bot's zone). Anything that waits "N working hours" measures it here, and a later change to
// the calendar (a company's own extra days) belongs in this one module.
//
// Note: the bundled calendar is as complete as the package version's data (1.5.7: up to 2026). A later year is
// read as Monday–Friday without holidays until the package is updated.
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

/** Whether the calendar day is a working day in China's official calendar (调休 Saturdays are; holidays are not). */
export function isWorkdayDate(day: LocalDate): boolean {
  return chineseDays.isWorkday(dayKey(day));
}

/** Whether the local day of `date` in `timeZone` is a working day. */
export function isWorkday(date: Date, timeZone: string): boolean {
  return isWorkdayDate(toLocal(date, timeZone));
}

/** The working window [start, end) of one calendar day, or null on a day off. */
function windowOf(day: LocalDate, timeZone: string, hours: WorkingHours): [number, number] | null {
  if (!isWorkdayDate(day)) return null;
  const [sh, sm] = parseClock(hours.start);
  const [eh, em] = parseClock(hours.end);
  return [fromLocal({ ...day, hour: sh, minute: sm }, timeZone).getTime(), fromLocal({ ...day, hour: eh, minute: em }, timeZone).getTime()];
}

/** Whether `at` falls inside working hours of a working day. */
export function isWorkingTime(at: Date, timeZone: string, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const w = windowOf(toLocal(at, timeZone), timeZone, hours);
  return w !== null && at.getTime() >= w[0] && at.getTime() < w[1];
}

const nextDay = (d: LocalDate): LocalDate => {
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
};

/** Working hours (fractional) between two instants: only the parts inside working windows of working days count. */
export function workingHoursBetween(from: Date, to: Date, timeZone: string, hours: WorkingHours = DEFAULT_WORKING_HOURS): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  const last = dayKey(toLocal(to, timeZone));
  let day: LocalDate = toLocal(from, timeZone);
  let ms = 0;
  for (let i = 0; i < MAX_DAYS; i++) {
    const w = windowOf(day, timeZone, hours);
    if (w) ms += Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0]));
    if (dayKey(day) === last) break;
    day = nextDay(day);
  }
  return ms / HOUR_MS;
}
