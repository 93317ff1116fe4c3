// Working time (src/core/working-time.ts): China's official calendar with its 调休 make-up days, and only the
// hours of the working day count, in the bot's zone whatever the machine's.
import { expect, it } from "vitest";
import { isWorkday, isWorkingTime, workingHoursBetween } from "../../src/core/working-time.ts";

const SH = "Asia/Shanghai";
const HOURS = { start: "09:00", end: "18:00" };
const at = (local: string) => new Date(`${local}+08:00`);

it("knows weekdays, weekends, official holidays and 调休 make-up days", () => {
  expect(isWorkday(at("2026-11-23T10:00:00"), SH)).toBe(true); // an ordinary Monday
  expect(isWorkday(at("2026-11-28T10:00:00"), SH)).toBe(false); // an ordinary Saturday
  expect(isWorkday(at("2026-10-01T10:00:00"), SH)).toBe(false); // 国庆节, a Thursday
  expect(isWorkday(at("2026-10-05T10:00:00"), SH)).toBe(false); // 国庆 holiday on a Monday
  expect(isWorkday(at("2026-10-10T10:00:00"), SH)).toBe(true); // 调休: Saturday worked
  expect(isWorkday(at("2026-09-20T10:00:00"), SH)).toBe(true); // 调休: Sunday worked
  expect(isWorkday(at("2026-02-17T10:00:00"), SH)).toBe(false); // 春节
  // The local day counts, not UTC's: Friday 2026-10-09 23:30 UTC is Saturday 10-10 07:30 in Shanghai.
  expect(isWorkday(new Date("2026-10-10T23:30:00Z"), SH)).toBe(false); // Sunday 10-11 in Shanghai
  expect(isWorkday(new Date("2026-10-09T23:30:00Z"), SH)).toBe(true); // Saturday 10-10 (调休) in Shanghai
});

it("tells working time from the rest of the day", () => {
  expect(isWorkingTime(at("2026-11-23T09:00:00"), SH, HOURS)).toBe(true);
  expect(isWorkingTime(at("2026-11-23T08:59:00"), SH, HOURS)).toBe(false);
  expect(isWorkingTime(at("2026-11-23T17:59:00"), SH, HOURS)).toBe(true);
  expect(isWorkingTime(at("2026-11-23T18:00:00"), SH, HOURS)).toBe(false);
  expect(isWorkingTime(at("2026-10-02T10:00:00"), SH, HOURS)).toBe(false); // holiday
  expect(isWorkingTime(at("2026-10-10T10:00:00"), SH, HOURS)).toBe(true); // 调休 Saturday
  expect(isWorkingTime(at("2026-11-23T08:30:00"), SH, { start: "08:00", end: "17:30" })).toBe(true);
});

it("counts only working hours between two instants", () => {
  expect(workingHoursBetween(at("2026-11-23T10:00:00"), at("2026-11-23T14:30:00"), SH, HOURS)).toBe(4.5);
  expect(workingHoursBetween(at("2026-11-23T07:00:00"), at("2026-11-23T20:00:00"), SH, HOURS)).toBe(9);
  // Monday 16:00 → Tuesday 11:00: 2 h + 2 h.
  expect(workingHoursBetween(at("2026-11-23T16:00:00"), at("2026-11-24T11:00:00"), SH, HOURS)).toBe(4);
  // Friday 16:00 → Monday 11:00: the weekend does not count.
  expect(workingHoursBetween(at("2026-11-27T16:00:00"), at("2026-11-30T11:00:00"), SH, HOURS)).toBe(4);
  // Over the National Day week: Wed 09-30 17:00 → Thu 10-08 10:00 is 1 h + 1 h.
  expect(workingHoursBetween(at("2026-09-30T17:00:00"), at("2026-10-08T10:00:00"), SH, HOURS)).toBe(2);
  // Friday 10-09 16:00 → Saturday 10-10 (调休) 11:00: the Saturday counts.
  expect(workingHoursBetween(at("2026-10-09T16:00:00"), at("2026-10-10T11:00:00"), SH, HOURS)).toBe(4);
  // Nothing, or backwards: zero.
  expect(workingHoursBetween(at("2026-11-23T10:00:00"), at("2026-11-23T10:00:00"), SH, HOURS)).toBe(0);
  expect(workingHoursBetween(at("2026-11-24T10:00:00"), at("2026-11-23T10:00:00"), SH, HOURS)).toBe(0);
});

it("reads the working day in the given zone, not the machine's", () => {
  // 2026-11-23 10:00 → 12:00 in Shanghai is 02:00 → 04:00 UTC: two working hours in Shanghai, none in UTC.
  const from = new Date("2026-11-23T02:00:00Z");
  const to = new Date("2026-11-23T04:00:00Z");
  expect(workingHoursBetween(from, to, SH, HOURS)).toBe(2);
  expect(workingHoursBetween(from, to, "UTC", HOURS)).toBe(0);
});

it("takes the working day from rules.workingHours, 09:00–18:00 by default, and refuses a bad one", async () => {
  const { RulesSchema } = await import("../../src/domain/org/org-file.ts");
  expect(RulesSchema.parse({}).workingHours).toEqual({ start: "09:00", end: "18:00" });
  expect(RulesSchema.parse({ workingHours: { start: "08:30" } }).workingHours).toEqual({ start: "08:30", end: "18:00" });
  expect(RulesSchema.safeParse({ workingHours: { start: "9:00" } }).success).toBe(false);
  expect(RulesSchema.safeParse({ workingHours: { start: "18:00", end: "09:00" } }).success).toBe(false);
  expect(RulesSchema.safeParse({ workingHours: { start: "09:00", finish: "18:00" } }).success).toBe(false);
});
