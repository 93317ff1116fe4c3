-- CreateIndex
CREATE INDEX "OutboxMessage_platform_recipient_status_id_idx" ON "OutboxMessage"("platform", "recipient", "status", "id");

