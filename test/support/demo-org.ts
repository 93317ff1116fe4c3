// A copy of the demo organisation with a change, written to a temp file for ORG_FILE. A replacement that no longer
// finds its text fails loudly, so a changed demo file cannot make a test silently run on the defaults.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_ORG_FILE } from "../../src/paths.ts";

export function demoOrgWith(replacements: readonly [from: string, to: string][], append = ""): string {
  let yaml = readFileSync(DEMO_ORG_FILE, "utf8");
  for (const [from, to] of replacements) {
    if (!yaml.includes(from)) throw new Error(`demo org changed: ${JSON.stringify(from)} is not in it; update this test`);
    yaml = yaml.replace(from, to);
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "org-")), "org.yaml");
  writeFileSync(file, `${yaml}${append}`);
  return file;
}

/** The demo's pool rules line, for tests that change a limit. */
export const DEMO_POOL_RULES = "pool: { releaseAfterDays: 30, warnDaysBefore: 1, maxOwnedPerRep: 200, maxClaimsPerDay: 5 }";
