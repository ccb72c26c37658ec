-- CreateIndex
CREATE INDEX "ContactEvent_appContactId_name_occurredAt_id_idx" ON "ContactEvent"("appContactId", "name", "occurredAt", "id");

