-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WorkflowTrigger" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflowId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT,
    "cron" TEXT,
    "timezone" TEXT,
    "input" TEXT NOT NULL DEFAULT '{}',
    "responseMode" TEXT NOT NULL DEFAULT 'immediately',
    "lastFiredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WorkflowTrigger_workflowId_fkey" FOREIGN KEY ("workflowId") REFERENCES "Workflow" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WorkflowTrigger" ("createdAt", "cron", "enabled", "id", "input", "kind", "lastFiredAt", "secret", "timezone", "updatedAt", "workflowId") SELECT "createdAt", "cron", "enabled", "id", "input", "kind", "lastFiredAt", "secret", "timezone", "updatedAt", "workflowId" FROM "WorkflowTrigger";
DROP TABLE "WorkflowTrigger";
ALTER TABLE "new_WorkflowTrigger" RENAME TO "WorkflowTrigger";
CREATE INDEX "WorkflowTrigger_workflowId_idx" ON "WorkflowTrigger"("workflowId");
CREATE INDEX "WorkflowTrigger_kind_enabled_idx" ON "WorkflowTrigger"("kind", "enabled");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
