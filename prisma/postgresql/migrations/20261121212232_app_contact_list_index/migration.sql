-- CreateIndex
CREATE INDEX "AppContact_appId_id_idx" ON "AppContact"("appId", "id");

