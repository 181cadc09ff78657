-- AlterTable
ALTER TABLE "user" ADD COLUMN "nameSkeleton" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "user_nameSkeleton_key" ON "user"("nameSkeleton");
