-- AlterTable
ALTER TABLE "InboxEvent" ADD COLUMN     "senderId" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "InboxEvent_platform_senderId_status_id_idx" ON "InboxEvent"("platform", "senderId", "status", "id");

