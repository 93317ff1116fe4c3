// Warehouse dispatch: notices after approval (to the routed people or group chats; the rep asked for the address
// first when there is none), 确认发货 / 有问题 on the card or typed (发货 SO-… 顺丰 SF…, SO-… 缺货), 恢复 SO-…,
// 待发货, 已签收 SO-…, 收货 SO-… <address contact phone>.
import type { Feature } from "../engine/feature.ts";
import { deliveryInfo, deliveryInfoCommands } from "./delivery-info.handler.ts";
import { dispatchCommands, dispatchNoticeKind, handleConfirmShipment, handleShipmentProblem, problemReason, shipDetails } from "./dispatch.handler.ts";

export const dispatchFeature: Feature = {
  name: "dispatch",
  intents: { confirm_shipment: handleConfirmShipment, report_shipment_problem: handleShipmentProblem },
  cards: [dispatchNoticeKind],
  questions: [shipDetails, problemReason, deliveryInfo],
  commands: [...dispatchCommands, ...deliveryInfoCommands],
};
