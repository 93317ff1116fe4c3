import type { Clock } from "../../core/clock.ts";
import type { DirectorySource } from "../../core/directory-port.ts";
import type { Platform } from "../../core/inbound-event.ts";
import type { Logger } from "../../core/logger.ts";
import type { Rules, WarehouseRoute } from "../../domain/org/org-file.ts";
import type { DbClient } from "../../domain/tx.ts";

/** What use cases need from the running app, for events and scheduled jobs alike. */
export interface AppDeps {
  db: DbClient;
  rules: Rules;
  /** The org file's warehouse.routes: where dispatch notices go (none: everyone with the warehouse role). */
  warehouseRoutes?: readonly WarehouseRoute[];
  timeZone: string;
  clock: Clock;
  /** Platforms with a running sender; people are only addressed there. */
  enabledPlatforms: () => Platform[];
  log: Logger;
  /** The address books a directory sync reads (one per configured platform); none: no sync. */
  directory?: readonly DirectorySource[];
}
