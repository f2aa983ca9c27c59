-- AlterTable
ALTER TABLE "Run" ADD COLUMN "compactedAt" DATETIME;

-- CreateTable
CREATE TABLE "MaintenanceLock" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT,
    "expiresAt" DATETIME,
    "lastRunAt" DATETIME,
    "lastResult" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Run_status_finishedAt_idx" ON "Run"("status", "finishedAt");

-- CreateIndex
CREATE INDEX "Run_threadId_idx" ON "Run"("threadId");
