-- DropIndex
DROP INDEX "Activity_occurredAt_idx";

-- DropIndex
DROP INDEX "Customer_ownerId_idx";

-- CreateIndex
CREATE INDEX "Activity_occurredAt_userId_kind_undoneAt_idx" ON "Activity"("occurredAt", "userId", "kind", "undoneAt");

-- CreateIndex
CREATE INDEX "Customer_ownerId_stage_deletedAt_idx" ON "Customer"("ownerId", "stage", "deletedAt");
