-- CreateTable
CREATE TABLE "Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "appId" INTEGER NOT NULL,
    "appContactId" INTEGER,
    "visitorId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "sessionData" TEXT NOT NULL DEFAULT '{}',
    "lastActivityAt" DATETIME NOT NULL,
    "lastReplyAt" DATETIME,
    "visitorReadId" INTEGER NOT NULL DEFAULT 0,
    "teamReadId" INTEGER NOT NULL DEFAULT 0,
    "resolvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Conversation_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Conversation_appContactId_fkey" FOREIGN KEY ("appContactId") REFERENCES "AppContact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Message" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "appId" INTEGER NOT NULL,
    "conversationId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "operatorId" INTEGER,
    "authorName" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Message_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Conversation_appId_status_lastActivityAt_idx" ON "Conversation"("appId", "status", "lastActivityAt");

-- CreateIndex
CREATE INDEX "Conversation_appContactId_lastActivityAt_idx" ON "Conversation"("appContactId", "lastActivityAt");

-- CreateIndex
CREATE INDEX "Conversation_appId_visitorId_idx" ON "Conversation"("appId", "visitorId");

-- CreateIndex
CREATE INDEX "Message_conversationId_id_idx" ON "Message"("conversationId", "id");

-- CreateIndex
CREATE INDEX "Message_appId_id_idx" ON "Message"("appId", "id");

