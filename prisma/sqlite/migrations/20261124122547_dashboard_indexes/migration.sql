-- CreateIndex
CREATE INDEX "Run_workspaceId_trigger_createdAt_idx" ON "Run"("workspaceId", "trigger", "createdAt");

-- CreateIndex
CREATE INDEX "Run_workflowId_status_createdAt_idx" ON "Run"("workflowId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Run_workspaceId_finishedAt_idx" ON "Run"("workspaceId", "finishedAt");

-- CreateIndex
CREATE INDEX "RunEvent_type_createdAt_idx" ON "RunEvent"("type", "createdAt");
