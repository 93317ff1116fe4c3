// Vitest globalSetup: migrate one template database per run, before any test file starts (see
// test/support/db-template.ts). Test files inherit TEMPLATE_ENV, since vitest starts its workers after this.
import { createPgTemplate, dropPgTemplate, dropRunDatabases, pgliteTemplate, TEMPLATE_ENV } from "./support/db-template.ts";
import { serverUrl } from "./support/fresh-database.ts";

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const base = serverUrl();
  if (!base) {
    // Made here once, not by two workers at once.
    await pgliteTemplate("migrated");
    await pgliteTemplate("empty");
    return;
  }
  const name = await createPgTemplate(base);
  process.env[TEMPLATE_ENV] = name;
  return async () => {
    delete process.env[TEMPLATE_ENV];
    await dropRunDatabases(base, name);
    await dropPgTemplate(base, name);
  };
}
