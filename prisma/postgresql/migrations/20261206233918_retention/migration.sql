-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "compactedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "MaintenanceLock" (
    "name" TEXT NOT NULL,
    "owner" TEXT,
    "expiresAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastResult" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MaintenanceLock_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "Run_status_finishedAt_idx" ON "Run"("status", "finishedAt");

-- CreateIndex
CREATE INDEX "Run_threadId_idx" ON "Run"("threadId");
