// Which runs of the card jobs happen: working days only (China's official calendar with 调休, plus the org file's
// company days; see src/core/working-time.ts).
import { addDays, isoWeekday, toLocal } from "../src/core/local-time.ts";
import { isWorkdayDate } from "../src/core/working-time.ts";
import type { AppDeps } from "../src/handlers/engine/app-deps.ts";

export const NOT_A_WORKING_DAY = "not a working day";

const warnOf = (deps: AppDeps) => (message: string, fields: Record<string, unknown>) => deps.log.warn(message, fields);

/** For a daily card: null on a working day, else why not. */
export function workingDayOnly(deps: AppDeps, now: Date): string | null {
  return isWorkdayDate(toLocal(now, deps.timeZone), deps.rules.calendar, warnOf(deps)) ? null : NOT_A_WORKING_DAY;
}

/**
 * For the weekly card: it goes out on the first working day on or after `fromWeekday` (ISO, Monday 1) of the
 * week, so a holiday Monday moves it to Tuesday (or later), never into the next week.
 */
export function firstWorkingDayOfWeek(deps: AppDeps, now: Date, fromWeekday = 1): string | null {
  const today = toLocal(now, deps.timeZone);
  const wd = isoWeekday(today);
  if (wd < fromWeekday) return "before the weekly card's day";
  if (!isWorkdayDate(today, deps.rules.calendar, warnOf(deps))) return NOT_A_WORKING_DAY;
  for (let d = fromWeekday; d < wd; d++) {
    if (isWorkdayDate(addDays(today, d - wd), deps.rules.calendar, warnOf(deps))) return "not the first working day of the week (the weekly card went out earlier this week)";
  }
  return null;
}
