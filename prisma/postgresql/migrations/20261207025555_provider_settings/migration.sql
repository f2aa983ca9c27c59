-- CreateTable
CREATE TABLE "ProviderSetting" (
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "failureThreshold" INTEGER NOT NULL,
    "windowMs" INTEGER NOT NULL,
    "cooldownMs" INTEGER NOT NULL,
    "requestsPerMinute" INTEGER NOT NULL,
    "tokensPerMinute" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "ProviderSetting_pkey" PRIMARY KEY ("workspaceId","key")
);
