-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "activatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "escalatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "note" TEXT,
ADD COLUMN     "remindedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "reason" TEXT;

-- CreateTable
CREATE TABLE "OrderNumberSeq" (
    "day" TEXT NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "OrderNumberSeq_pkey" PRIMARY KEY ("day")
);

-- CreateIndex
CREATE INDEX "ApprovalStep_status_activatedAt_idx" ON "ApprovalStep"("status", "activatedAt");
