// Customer look-up: 客户 X → profile card, if the asker may see it.
import type { Feature } from "../engine/feature.ts";
import { handleLookupCustomer, lookupPick } from "./lookup-customer.handler.ts";

export const customersFeature: Feature = {
  name: "customers",
  intents: { lookup_customer: handleLookupCustomer },
  pending: [lookupPick],
};
