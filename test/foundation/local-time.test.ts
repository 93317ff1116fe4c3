// The one clock (src/core/local-time.ts): wall-clock reading, day arithmetic and week keys in the bot's zone,
// independent of the machine's TZ, including across a daylight-saving change.
import { TZDateMini, tzOffset } from "@date-fns/tz";
import fc from "fast-check";
import { expect, it } from "vitest";
import { addLocalDays, atLocalHour, formatLocal, fromLocal, localDateKey, localHour, localIsoWeekKey, offsetMinutes, startOfLocalWeek, toLocal } from "../../src/core/local-time.ts";

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

// The remembered hourly offsets (local-time.ts) must read exactly what the zone rules read, everywhere: around every
// daylight-saving change, in zones that move by 30 minutes or sit at +12:45, and far from any change.
it("reads the same wall clock and instants as the zone rules themselves, around every change and away from them", () => {
  const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Asia/Kolkata", "UTC"];
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2028, 0, 1) - start;
  fc.assert(
    fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: span }), (zone, offset) => {
      const instant = new Date(start + offset);
      const z = new TZDateMini(instant.getTime(), zone);
      const local = toLocal(instant, zone);
      expect(local).toEqual({ year: z.getFullYear(), month: z.getMonth() + 1, day: z.getDate(), hour: z.getHours(), minute: z.getMinutes(), second: z.getSeconds() });
      expect(offsetMinutes(instant, zone)).toBe(tzOffset(zone, instant));
      const wall = { year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute };
      expect(fromLocal(wall, zone).getTime()).toBe(new TZDateMini(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, zone).getTime());
    }),
    { numRuns: 20_000, seed: 20261205 },
  );
  // Every minute of the days around New York's and Lord Howe's changes in 2026, both ways.
  for (const [zone, day] of [["America/New_York", "2026-03-08"], ["America/New_York", "2026-11-01"], ["Australia/Lord_Howe", "2026-04-05"], ["Australia/Lord_Howe", "2026-10-04"]] as const) {
    const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
    for (let ms = from; ms < from + 3 * 86_400_000; ms += 60_000) {
      const instant = new Date(ms);
      const z = new TZDateMini(ms, zone);
      expect(localHour(instant, zone)).toBe(z.getHours());
      expect(formatLocal(instant, zone)).toBe(`${z.getMonth() + 1}月${z.getDate()}日 ${["周日", "周一", "周二", "周三", "周四", "周五", "周六"][z.getDay()]} ${String(z.getHours()).padStart(2, "0")}:${String(z.getMinutes()).padStart(2, "0")}`);
      const wall = { year: z.getFullYear(), month: z.getMonth() + 1, day: z.getDate(), hour: z.getHours(), minute: z.getMinutes() };
      expect(fromLocal(wall, zone).getTime()).toBe(new TZDateMini(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, zone).getTime());
    }
  }
});
