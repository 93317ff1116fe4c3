-- AlterTable
ALTER TABLE "Card" ALTER COLUMN "recipientId" DROP NOT NULL;
