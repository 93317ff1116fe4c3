// Start and deploy (issue 15): `npm run build` compiles to plain JavaScript that runs with `node` alone (no
// TypeScript loader), finds its own files (playground page, demo organisation, migrations) from dist/ whatever the
// working directory, and a production start refuses the demo organisation and a bot with no channel.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../src/paths.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually } from "../support/test-bot.ts";

const MAIN = path.join(ROOT, "dist", "src", "main.js");
/** Only what the child needs: nothing of this process's configuration (DATABASE_URL, channel settings…) leaks in. */
const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() });

let dir: string;
beforeAll(() => {
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", timeout: 170_000 });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
  // The working directory is a fresh folder: no .env is read, and paths must not depend on it.
  dir = mkdtempSync(path.join(tmpdir(), "salesbot-build-"));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the built server (node dist/src/main.js)", { timeout: 90_000 }, () => {
  let child: ChildProcess;
  let output = "";
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, [MAIN], {
      cwd: dir,
      env: { ...baseEnv(), PORT: "0", DATA_DIR: path.join(dir, "data"), PLAYGROUND: "true", JOBS: "false", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
    url = await eventually(() => {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
      return /is running on (http:\/\/[\d.:]+)/.exec(output)?.[1];
    }, "the server's address", 60_000);
  }, 90_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("answers /healthz", async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("serves the playground page and answers a message on the demo organisation (migrated from dist)", async () => {
    const page = await fetch(`${url}/playground/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const client = new PlaygroundClient(url);
    const sent = await client.say("zhangsan", "帮助");
    expect(sent.status).toBeLessThan(300);
    const reply = await client.nthBotItem("zhangsan", 1);
    expect(reply.from).toBe("bot");
  });

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

describe("production start-up refusals", () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [MAIN], { cwd: dir, env: { ...baseEnv(), PORT: "0", DATA_DIR: path.join(dir, "refused"), ...env }, encoding: "utf8", timeout: 30_000 });

  it("refuses the demo organisation and no channel, naming both", () => {
    const r = run({ NODE_ENV: "production" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("NODE_ENV=production");
    expect(r.stderr).toContain("ORG_FILE");
    expect(r.stderr).toContain("no channel configured");
    expect(r.stderr).toContain("DINGTALK_CLIENT_ID");
  });

  it("with an organisation file but no channel, names only the channel", () => {
    const r = run({ NODE_ENV: "production", ORG_FILE: path.join(ROOT, "prisma", "org.demo.yaml") });
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toContain("ORG_FILE");
    expect(r.stderr).toContain("WECOM_CORP_ID");
  });

  it("with a channel but the demo organisation, names only ORG_FILE", () => {
    const r = run({ NODE_ENV: "production", DINGTALK_CLIENT_ID: "ding-id", DINGTALK_CLIENT_SECRET: "ding-secret" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("ORG_FILE");
    expect(r.stderr).not.toContain("no channel configured");
  });
});
