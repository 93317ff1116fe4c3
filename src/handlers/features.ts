// Every feature the bot has. Adding a feature (orders, dispatch…) is one line here; adding a card kind, an
// intent or a question to a feature touches only that feature's folder.
import { adminFeature } from "./admin/admin.feature.ts";
import { customersFeature } from "./customers/customers.feature.ts";
import { dispatchFeature } from "./dispatch/dispatch.feature.ts";
import { pickCustomerCardKind, type CustomerPickKind } from "./customers/which-customer.ts";
import type { Feature } from "./engine/feature.ts";
import { buildRegistry } from "./engine/registry.ts";
import { helpFeature } from "./help/help.feature.ts";
import { metricsFeature } from "./metrics/metrics.feature.ts";
import { ordersFeature } from "./orders/orders.feature.ts";
import { poolFeature } from "./pool/pool.feature.ts";
import { tasksFeature } from "./tasks/tasks.feature.ts";
import { teamFeature } from "./team/team.feature.ts";
import { visitsFeature } from "./visits/visits.feature.ts";

// Orders before visits: "改 数量 300" corrects an open order draft first, else the newest visit.
const features: Feature[] = [ordersFeature, dispatchFeature, visitsFeature, customersFeature, poolFeature, tasksFeature, teamFeature, metricsFeature, adminFeature, helpFeature];

// The pick card resumes any feature's "which customer?" request.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const picks = features.flatMap((f) => f.pending ?? []).filter((k): k is CustomerPickKind<any> => "allowNew" in k);

export const FEATURES: Feature[] = [...features, { name: "customer-pick", cards: [pickCustomerCardKind(picks)] }];

export const REGISTRY = buildRegistry(FEATURES);
