// Child loggers (src/core/logger.ts) are made lazily, only when they write: what they write must be exactly what an
// eager pino child writes — the bindings of every level of children, later ones winning, secrets redacted, and
// nothing below the configured level.
import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createLogger, REDACTED } from "../../src/core/logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString("utf8").split("\n")) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

it("writes each child's bindings and its parents', redacted, and only at the enabled levels", async () => {
  const { lines, destination } = capture();
  const log = createLogger("info", { service: "bot" }, { destination });
  const event = log.child({ eventId: "e1", platform: "wecom" });
  const send = event.child({ outboxId: "7", platform: "dingtalk", token: "s3cret" });
  event.debug("not written");
  send.debug("not written either");
  event.info("event handled", { ms: 3 });
  send.warn("send failed", { err: new Error("boom") });
  log.child({ unused: true }); // made and never written: costs nothing, writes nothing
  await new Promise((r) => setImmediate(r));
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatchObject({ level: "info", msg: "event handled", service: "bot", eventId: "e1", platform: "wecom", ms: 3 });
  expect(lines[1]).toMatchObject({ level: "warn", msg: "send failed", service: "bot", eventId: "e1", outboxId: "7", platform: "dingtalk", token: REDACTED });
  expect((lines[1]!.err as { message: string }).message).toBe("boom");
  expect(JSON.stringify(lines)).not.toContain("s3cret");
});
