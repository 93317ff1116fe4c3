-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "address" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "deliveryAddress" TEXT,
ADD COLUMN     "deliveryContact" TEXT,
ADD COLUMN     "deliveryPhone" TEXT,
ADD COLUMN     "dispatchedAt" TIMESTAMPTZ(3),
ADD COLUMN     "noticeRemindedAt" TIMESTAMPTZ(3),
ADD COLUMN     "problem" TEXT,
ADD COLUMN     "problemAt" TIMESTAMPTZ(3),
ADD COLUMN     "problemById" TEXT,
ADD COLUMN     "requestedDate" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "Shipment_orderId_trackingNo_key" ON "Shipment"("orderId", "trackingNo");

-- CreateIndex
CREATE INDEX "ShipmentLine_shipmentId_idx" ON "ShipmentLine"("shipmentId");

-- CreateIndex
CREATE INDEX "ShipmentLine_orderLineId_idx" ON "ShipmentLine"("orderLineId");
