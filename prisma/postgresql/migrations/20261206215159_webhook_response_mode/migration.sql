-- AlterTable
ALTER TABLE "WorkflowTrigger" ADD COLUMN     "responseMode" TEXT NOT NULL DEFAULT 'immediately';
