-- AlterTable
ALTER TABLE "Card" ADD COLUMN     "thread" TEXT;

-- CreateIndex
CREATE INDEX "Card_thread_idx" ON "Card"("thread");
