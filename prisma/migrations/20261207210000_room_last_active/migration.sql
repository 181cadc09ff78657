-- AlterTable
ALTER TABLE "Room" ADD COLUMN "lastActiveAt" DATETIME;
