// Customers: 客户 X → profile card, if the asker may see it; 转交 X 给 Y (reassignment by a manager or admin);
// 改 客户 X 阶段 报价 (editing by the owner, the owner's managers or an admin).
import type { Feature } from "../engine/feature.ts";
import { editCustomerCommands, editPick } from "./edit-customer.handler.ts";
import { handleLookupCustomer, lookupPick } from "./lookup-customer.handler.ts";
import { reassignCommands, reassignPick } from "./reassign-customer.handler.ts";

export const customersFeature: Feature = {
  name: "customers",
  intents: { lookup_customer: handleLookupCustomer },
  pending: [lookupPick, reassignPick, editPick],
  commands: [...reassignCommands, ...editCustomerCommands],
};
