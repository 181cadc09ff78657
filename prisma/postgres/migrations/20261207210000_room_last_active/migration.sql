-- AlterTable
ALTER TABLE "Room" ADD COLUMN "lastActiveAt" TIMESTAMP(3);
