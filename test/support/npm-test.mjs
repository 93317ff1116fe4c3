// `npm test`: the type check, the lint and the suite, started together instead of one after another, and failing
// if any of them fails. The suite's workers wait on sockets, timers and the database much of the time; the type
// check (about 20 s of CPU from a cold cache) and the lint (about 10 s) fill those gaps at a lower priority (nice
// 10) instead of holding the suite back for half a minute. The suite's output streams as it comes; the type check's
// and the lint's are printed whole when each ends, under its name. Arguments go to vitest (`npm test -- test/x`).
import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const children = new Set();

/** Runs `cmd args`; resolves with its exit code (1 for a signal or a failure to start). */
function run(name, cmd, args, { buffered, nice }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit", shell: process.platform === "win32" });
    children.add(child);
    // Before npm has started what it runs: its children inherit the priority.
    if (nice && child.pid) {
      try {
        setPriority(child.pid, nice);
      } catch {
        // Not allowed here: it runs at the normal priority.
      }
    }
    const out = [];
    child.stdout?.on("data", (b) => out.push(b));
    child.stderr?.on("data", (b) => out.push(b));
    const started = Date.now();
    const done = (code) => {
      children.delete(child);
      if (buffered) {
        const text = Buffer.concat(out).toString("utf8").trimEnd();
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(`\n== ${name}: ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${secs} s\n${text ? `${text}\n` : ""}`);
      }
      resolve(code);
    };
    child.on("error", (err) => {
      out.push(Buffer.from(String(err)));
      done(1);
    });
    child.on("exit", (code, signal) => done(signal ? 1 : (code ?? 1)));
  });
}

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    for (const c of children) c.kill(sig);
    process.exit(130);
  });
}

const codes = await Promise.all([
  run("vitest", process.execPath, [fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url)), "run", ...process.argv.slice(2)], { buffered: false }),
  run("typecheck (npm run typecheck)", npm, ["run", "--silent", "typecheck"], { buffered: true, nice: 10 }),
  run("lint (npm run lint)", npm, ["run", "--silent", "lint"], { buffered: true, nice: 10 }),
]);
const failed = ["vitest", "typecheck", "lint"].filter((_, i) => codes[i] !== 0);
if (failed.length) {
  process.stdout.write(`\n== npm test FAILED: ${failed.join(", ")}\n`);
  process.exit(1);
}
process.stdout.write("\n== npm test passed: typecheck, lint and vitest\n");
