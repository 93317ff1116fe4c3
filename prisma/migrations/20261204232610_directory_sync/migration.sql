-- AlterTable
ALTER TABLE "Identity" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'org-file';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deactivatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "departments" TEXT[],
ADD COLUMN     "email" TEXT,
ADD COLUMN     "mobile" TEXT,
ADD COLUMN     "roleOverride" TEXT[],
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'org-file';

-- CreateTable
CREATE TABLE "Department" (
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parentId" TEXT,
    "leaderIds" TEXT[],
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Department_pkey" PRIMARY KEY ("platform","externalId")
);

-- CreateTable
CREATE TABLE "DirectorySyncRequest" (
    "id" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "claimedAt" TIMESTAMPTZ(3),
    "result" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DirectorySyncRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DirectorySyncRequest_eventId_key" ON "DirectorySyncRequest"("eventId");

-- CreateIndex
CREATE INDEX "DirectorySyncRequest_status_createdAt_idx" ON "DirectorySyncRequest"("status", "createdAt");
