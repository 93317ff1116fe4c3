-- CreateIndex
CREATE INDEX "OutboxMessage_platform_recipient_sentAt_idx" ON "OutboxMessage"("platform", "recipient", "sentAt");
