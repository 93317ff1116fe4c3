// The playground in a real browser (Debian's chromium driven by playwright-core): a rep logs a visit,
// confirms the new customer on the card, and undoes it.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/test-bot.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
// CI installs chromium (.ci/run); a developer machine without it skips this file and says so.
const run = CHROMIUM || process.env.CI ? it : it.skip;
if (!CHROMIUM && !process.env.CI) console.warn("browser test skipped: install Debian's chromium to run it");

let bot: TestBot;
let browser: Browser;
beforeAll(async () => {
  if (!CHROMIUM && !process.env.CI) return;
  bot = await startTestBot();
  browser = await chromium.launch({
    executablePath: CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

run("logs a visit, confirms the new customer on the card, and undoes it", async () => {
  const page = await browser.newPage();
  await page.goto(`${bot.url}/playground/`);
  await page.getByTestId("user-picker").selectOption("zhangsan");
  await page.getByTestId("message-input").fill("今天拜访了华东机电的王经理，下季度要200台电机，下周三带报价再去");
  await page.getByTestId("message-input").press("Enter");

  const pick = page.getByTestId("card").filter({ hasText: "华东机电" }).first();
  await pick.getByRole("button", { name: /新建/ }).click();
  const confirm = page.getByTestId("card").filter({ hasText: "已记录拜访" });
  await confirm.getByText("王经理", { exact: true }).waitFor();
  await confirm.getByRole("button", { name: "撤销" }).click();
  await confirm.getByTestId("card-status").filter({ hasText: "已撤销" }).waitFor();

  expect(await bot.db.prisma.activity.count({ where: { undoneAt: { not: null } } })).toBe(1);
  await page.close();
});

run("a rep orders with a discount; the manager approves on the card; the rep's card shows it", async () => {
  await bot.db.prisma.customer.create({ data: { name: "宁波东方轴承有限公司", normalizedName: "东方轴承", ownerId: "zhangsan", aliases: ["宁波东方轴承"], tags: [], ...WITH_DELIVERY } });
  const rep = await browser.newPage();
  await rep.goto(`${bot.url}/playground/`);
  await rep.getByTestId("user-picker").selectOption("zhangsan");
  await rep.getByTestId("message-input").fill("下单 宁波东方轴承 变频器 20台 9折 客户量大");
  await rep.getByTestId("message-input").press("Enter");
  const order = rep.getByTestId("card").filter({ hasText: "已提交王五审批" });
  await order.waitFor();

  const manager = await browser.newPage();
  await manager.goto(`${bot.url}/playground/`);
  await manager.getByTestId("user-picker").selectOption("wangwu");
  const approval = manager.getByTestId("card").filter({ hasText: "折扣审批" });
  await approval.getByText("折扣 10% 超出销售权限 5%").waitFor();
  await approval.getByRole("button", { name: "同意" }).click();
  await approval.getByTestId("card-status").filter({ hasText: "王五 已同意" }).waitFor();

  await rep.getByTestId("card").filter({ hasText: "已批准" }).first().waitFor();
  expect(await bot.db.prisma.order.count({ where: { status: "dispatched" } })).toBe(1);
  await rep.close();
  await manager.close();
});

run("a text too long to understand is answered with the limit named and stays in the box", async () => {
  const page = await browser.newPage();
  await page.goto(`${bot.url}/playground/`);
  await page.getByTestId("user-picker").selectOption("lisi");
  const long = "今天拜访了华东机电。".repeat(250); // 2,500 characters
  await page.getByTestId("message-input").fill(long);
  await page.getByTestId("message-input").press("Enter");
  await page.getByText("超过了 2000 字，我没法理解", { exact: false }).first().waitFor();
  expect(await page.getByTestId("message-input").inputValue()).toBe(long);
  expect(await page.locator("#error").textContent()).toContain("超过了 2000 字的上限");
  // A short one is sent and the box is emptied.
  await page.getByTestId("message-input").fill("帮助");
  await page.getByTestId("message-input").press("Enter");
  await page.getByTestId("card").filter({ hasText: "能帮你做这些" }).first().waitFor();
  expect(await page.getByTestId("message-input").inputValue()).toBe("");
  await page.close();
});
