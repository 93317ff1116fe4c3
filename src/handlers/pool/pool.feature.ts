// Public pool (公海): 领取 X within the rules' limits; the nightly release is a job (pool-release.handler.ts).
import type { Feature } from "../engine/feature.ts";
import { claimPick, handleClaimCustomer } from "./claim-customer.handler.ts";

export const poolFeature: Feature = {
  name: "pool",
  intents: { claim_customer: handleClaimCustomer },
  pending: [claimPick],
};
