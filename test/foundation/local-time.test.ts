// The one clock (src/core/local-time.ts): wall-clock reading, day arithmetic and week keys in the bot's zone,
// independent of the machine's TZ, including across a daylight-saving change.
import { expect, it } from "vitest";
import { addLocalDays, atLocalHour, formatLocal, localDateKey, localHour, localIsoWeekKey, startOfLocalWeek } from "../../src/core/local-time.ts";

const SH = "Asia/Shanghai";

it("reads the local hour and date in the zone, not the machine's", () => {
  const d = new Date("2026-11-23T17:30:00Z"); // Tuesday 01:30 in Shanghai
  expect(localHour(d, SH)).toBe(1);
  expect(localHour(d, "America/New_York")).toBe(12);
  expect(localDateKey(d, SH)).toBe("2026-11-24");
  expect(formatLocal(d, SH)).toBe("11月24日 周二 01:30");
});

it("does day arithmetic on the local calendar, and returns plain Dates", () => {
  const mon = new Date("2026-11-23T10:00:00+08:00");
  const next = addLocalDays(mon, 3, 9, SH);
  expect(next).toEqual(new Date("2026-11-26T09:00:00+08:00"));
  expect(Object.getPrototypeOf(next)).toBe(Date.prototype);
  expect(atLocalHour(mon, 18, SH, 30)).toEqual(new Date("2026-11-23T18:30:00+08:00"));
  expect(startOfLocalWeek(new Date("2026-11-29T23:00:00+08:00"), SH)).toEqual(new Date("2026-11-23T00:00:00+08:00"));
  expect(localIsoWeekKey(mon, SH)).toBe("2026-W48");
  expect(localIsoWeekKey(new Date("2027-01-01T12:00:00+08:00"), SH)).toBe("2026-W53");
});

it("keeps the wall-clock hour across a daylight-saving change", () => {
  const beforeSwitch = new Date("2026-03-07T14:00:00Z"); // New York, Saturday 09:00 EST
  expect(addLocalDays(beforeSwitch, 1, 9, "America/New_York")).toEqual(new Date("2026-03-08T13:00:00Z")); // Sunday 09:00 EDT
});
