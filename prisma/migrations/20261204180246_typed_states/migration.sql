-- Typed states: every status column becomes a PostgreSQL enum.
-- Hand-edited from `prisma migrate diff`, which drops and re-adds each column (losing its data): here each column
-- is converted in place, so existing rows keep their value and indexes on the column are rebuilt, not lost.
-- A row holding a value outside its enum makes the cast fail and the whole migration roll back.

-- CreateEnum
CREATE TYPE "CustomerStage" AS ENUM ('lead', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost');

-- CreateEnum
CREATE TYPE "CustomerLevel" AS ENUM ('A', 'B', 'C');

-- CreateEnum
CREATE TYPE "ActivityKind" AS ENUM ('visit', 'call', 'message');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('open', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "TaskSource" AS ENUM ('visit', 'manual', 'system');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('draft', 'pending_approval', 'approved', 'rejected', 'dispatched', 'shipped', 'delivered', 'cancelled');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('pending', 'approved', 'rejected', 'cancelled');

-- CreateEnum
CREATE TYPE "ApprovalStepStatus" AS ENUM ('waiting', 'pending', 'approved', 'rejected', 'skipped');

-- CreateEnum
CREATE TYPE "ShipmentStatus" AS ENUM ('shipped', 'problem', 'delivered');

-- CreateEnum
CREATE TYPE "CardStatus" AS ENUM ('active', 'decided', 'expired');

-- CreateEnum
CREATE TYPE "PendingActionStatus" AS ENUM ('pending', 'confirmed', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "InboxEventStatus" AS ENUM ('pending', 'done', 'failed');

-- CreateEnum
CREATE TYPE "OutboxMessageStatus" AS ENUM ('pending', 'sent', 'dead');

-- CreateEnum
CREATE TYPE "JobRunStatus" AS ENUM ('running', 'done', 'failed');

-- AlterTable
ALTER TABLE "Activity" ALTER COLUMN "kind" DROP DEFAULT;
ALTER TABLE "Activity" ALTER COLUMN "kind" TYPE "ActivityKind" USING "kind"::"ActivityKind";
ALTER TABLE "Activity" ALTER COLUMN "kind" SET DEFAULT 'visit';

-- AlterTable
ALTER TABLE "Approval" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Approval" ALTER COLUMN "status" TYPE "ApprovalStatus" USING "status"::"ApprovalStatus";
ALTER TABLE "Approval" ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "ApprovalStep" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "ApprovalStep" ALTER COLUMN "status" TYPE "ApprovalStepStatus" USING "status"::"ApprovalStepStatus";
ALTER TABLE "ApprovalStep" ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "Card" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Card" ALTER COLUMN "status" TYPE "CardStatus" USING "status"::"CardStatus";
ALTER TABLE "Card" ALTER COLUMN "status" SET DEFAULT 'active';

-- AlterTable
ALTER TABLE "Customer" ALTER COLUMN "level" TYPE "CustomerLevel" USING "level"::"CustomerLevel";

-- AlterTable
ALTER TABLE "Customer" ALTER COLUMN "stage" DROP DEFAULT;
ALTER TABLE "Customer" ALTER COLUMN "stage" TYPE "CustomerStage" USING "stage"::"CustomerStage";
ALTER TABLE "Customer" ALTER COLUMN "stage" SET DEFAULT 'lead';

-- AlterTable
ALTER TABLE "InboxEvent" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "InboxEvent" ALTER COLUMN "status" TYPE "InboxEventStatus" USING "status"::"InboxEventStatus";
ALTER TABLE "InboxEvent" ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "JobRun" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "JobRun" ALTER COLUMN "status" TYPE "JobRunStatus" USING "status"::"JobRunStatus";
ALTER TABLE "JobRun" ALTER COLUMN "status" SET DEFAULT 'running';

-- AlterTable
ALTER TABLE "Order" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Order" ALTER COLUMN "status" TYPE "OrderStatus" USING "status"::"OrderStatus";
ALTER TABLE "Order" ALTER COLUMN "status" SET DEFAULT 'draft';

-- AlterTable
ALTER TABLE "OutboxMessage" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "OutboxMessage" ALTER COLUMN "status" TYPE "OutboxMessageStatus" USING "status"::"OutboxMessageStatus";
ALTER TABLE "OutboxMessage" ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "PendingAction" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "PendingAction" ALTER COLUMN "status" TYPE "PendingActionStatus" USING "status"::"PendingActionStatus";
ALTER TABLE "PendingAction" ALTER COLUMN "status" SET DEFAULT 'pending';

-- AlterTable
ALTER TABLE "Shipment" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Shipment" ALTER COLUMN "status" TYPE "ShipmentStatus" USING "status"::"ShipmentStatus";
ALTER TABLE "Shipment" ALTER COLUMN "status" SET DEFAULT 'shipped';

-- AlterTable
ALTER TABLE "Task" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Task" ALTER COLUMN "status" TYPE "TaskStatus" USING "status"::"TaskStatus";
ALTER TABLE "Task" ALTER COLUMN "status" SET DEFAULT 'open';

-- AlterTable
ALTER TABLE "Task" ALTER COLUMN "source" DROP DEFAULT;
ALTER TABLE "Task" ALTER COLUMN "source" TYPE "TaskSource" USING "source"::"TaskSource";
ALTER TABLE "Task" ALTER COLUMN "source" SET DEFAULT 'visit';
