// A PGlite driver adapter that Prisma's WASM schema engine can replay migrations on (a "shadow database"),
// so `prisma migrate diff --from-migrations` works offline. The stock pglite-prisma-adapter sends a whole
// migration.sql as one prepared statement, which PostgreSQL refuses ("cannot insert multiple commands into a
// prepared statement"); here statements without parameters run through PGlite's simple-query `exec`.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

type Factory = ReturnType<typeof makeFactory>;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;

function makeFactory(lite: PGlite) {
  return new PrismaPGlite(lite);
}

function scriptCapable(adapter: Adapter, lite: PGlite): Adapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    await lite.exec(query.sql);
    return 0;
  };
  // The stock executeScript does not await exec, so its errors would be lost.
  adapter.executeScript = async (script) => {
    await lite.exec(script);
  };
  return adapter;
}

/** A fresh in-memory PGlite for the schema engine, and another one for each shadow database it asks for. */
export function shadowPgliteFactory(): Factory {
  const lite = new PGlite();
  const factory = makeFactory(lite);
  return Object.assign(factory, {
    connect: async () => scriptCapable(await makeFactory(lite).connect(), lite),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      return scriptCapable(await makeFactory(shadow).connect(), shadow);
    },
  });
}
