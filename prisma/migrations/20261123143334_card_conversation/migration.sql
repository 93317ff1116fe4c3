-- AlterTable
ALTER TABLE "Card" ADD COLUMN     "conversation" JSONB;

