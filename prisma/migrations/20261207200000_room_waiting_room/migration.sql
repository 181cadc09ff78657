-- AlterTable
ALTER TABLE "Room" ADD COLUMN "waitingRoom" BOOLEAN NOT NULL DEFAULT false;
