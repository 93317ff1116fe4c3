// Public pool (公海): 公海客户 lists it (with a 领取 button each), 领取 X within the rules' limits; the nightly
// release is a job (pool-release.handler.ts).
import type { Feature } from "../engine/feature.ts";
import { claimPick, handleClaimCustomer } from "./claim-customer.handler.ts";
import { poolListCommands, poolListKind } from "./pool-list.handler.ts";

export const poolFeature: Feature = {
  name: "pool",
  intents: { claim_customer: handleClaimCustomer },
  pending: [claimPick],
  cards: [poolListKind],
  commands: poolListCommands,
};
